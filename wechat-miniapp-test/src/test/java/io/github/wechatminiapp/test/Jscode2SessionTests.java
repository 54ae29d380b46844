package io.github.wechatminiapp.test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.github.wechatminiapp.test.SandboxHttp.errcode;
import static io.github.wechatminiapp.test.SandboxHttp.json;
import static io.github.wechatminiapp.test.SandboxHttp.q;
import static org.assertj.core.api.Assertions.assertThat;

class Jscode2SessionTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T08:00:00Z"));

	private final WeChatSandbox sandbox = WeChatSandbox.builder().clock(this.clock).start();

	private final SandboxHttp http = new SandboxHttp(this.sandbox);

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	@Test
	void exchangesALoginCodeForTheSessionAsTextPlain() {
		WeChatSandboxUser user = this.sandbox.createUser();
		HttpResponse<String> response = this.http.jscode2session(this.sandbox.loginCode(user));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
		JsonNode body = json(response);
		assertThat(body.has("errcode")).isFalse();
		assertThat(body.get("session_key").asString()).isEqualTo(this.sandbox.sessionKey(user));
		assertThat(body.get("openid").asString()).isEqualTo(user.openid());
		assertThat(body.get("unionid").asString()).isEqualTo(user.unionid());
	}

	@Test
	void wrongAppIdIs40013AsTextPlain() {
		HttpResponse<String> response = get("wx0000000000000000", this.sandbox.appSecret(),
				this.sandbox.loginCode(this.sandbox.createUser()), "authorization_code");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
		assertThat(errcode(json(response))).isEqualTo(40013);
		assertThat(json(response).get("errmsg").asString()).startsWith("invalid appid, rid: ");
	}

	@Test
	void wrongSecretIs40125() {
		JsonNode body = json(get(this.sandbox.appId(), "wrong", this.sandbox.loginCode(this.sandbox.createUser()),
				"authorization_code"));
		assertThat(errcode(body)).isEqualTo(40125);
		assertThat(body.get("errmsg").asString()).startsWith("invalid appsecret");
	}

	@Test
	void wrongGrantTypeIs40002() {
		JsonNode body = json(get(this.sandbox.appId(), this.sandbox.appSecret(),
				this.sandbox.loginCode(this.sandbox.createUser()), "client_credential"));
		assertThat(errcode(body)).isEqualTo(40002);
	}

	@Test
	void missingCodeIs41008() {
		assertThat(errcode(json(get(this.sandbox.appId(), this.sandbox.appSecret(), "", "authorization_code"))))
			.isEqualTo(41008);
	}

	@Test
	void unknownCodeIs40029() {
		HttpResponse<String> response = this.http.jscode2session("0a1b2c3d4e5f");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
		JsonNode body = json(response);
		assertThat(errcode(body)).isEqualTo(40029);
		assertThat(body.get("errmsg").asString()).matches("invalid code, rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}");
	}

	@Test
	void aLoginCodeWorksOnceThen40163() {
		String code = this.sandbox.loginCode(this.sandbox.createUser());
		assertThat(errcode(json(this.http.jscode2session(code)))).isZero();
		JsonNode reuse = json(this.http.jscode2session(code));
		assertThat(errcode(reuse)).isEqualTo(40163);
		assertThat(reuse.get("errmsg").asString()).startsWith("code been used, rid: ");
		assertThat(reuse.has("session_key")).isFalse();
	}

	@Test
	void aLoginCodeExpiresAfterFiveMinutes() {
		WeChatSandboxUser user = this.sandbox.createUser();
		String fresh = this.sandbox.loginCode(user);
		String stale = this.sandbox.loginCode(user);
		this.clock.advance(Duration.ofMinutes(5).minusSeconds(1));
		assertThat(errcode(json(this.http.jscode2session(fresh)))).isZero();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(errcode(json(this.http.jscode2session(stale)))).isEqualTo(40029);
	}

	@Test
	void loginCodesKeepTheSessionKeyUntilItIsRotated() {
		WeChatSandboxUser user = this.sandbox.createUser();
		String first = json(this.http.jscode2session(this.sandbox.loginCode(user))).get("session_key").asString();
		String second = json(this.http.jscode2session(this.sandbox.loginCode(user))).get("session_key").asString();
		assertThat(second).isEqualTo(first);
		String rotated = this.sandbox.rotateSessionKey(user);
		String third = json(this.http.jscode2session(this.sandbox.loginCode(user))).get("session_key").asString();
		assertThat(third).isEqualTo(rotated).isNotEqualTo(first);
	}

	@Test
	void concurrentExchangesOfOneCodeHaveOneWinner() {
		String code = this.sandbox.loginCode(this.sandbox.createUser());
		List<CompletableFuture<Integer>> results = new ArrayList<>();
		for (int i = 0; i < 24; i++) {
			results.add(CompletableFuture.supplyAsync(() -> errcode(json(this.http.jscode2session(code)))));
		}
		List<Integer> errcodes = results.stream().map(CompletableFuture::join).toList();
		assertThat(errcodes).containsOnlyOnce(0).filteredOn((errcode) -> errcode != 0).containsOnly(40163);
	}

	private HttpResponse<String> get(String appId, String secret, String code, String grantType) {
		return this.http.get("/sns/jscode2session?appid=" + q(appId) + "&secret=" + q(secret) + "&js_code=" + q(code)
				+ "&grant_type=" + q(grantType));
	}

}
