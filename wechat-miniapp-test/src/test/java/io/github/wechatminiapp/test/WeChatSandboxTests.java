package io.github.wechatminiapp.test;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class WeChatSandboxTests {

	private final List<WeChatSandbox> started = new ArrayList<>();

	@AfterEach
	void close() {
		this.started.forEach(WeChatSandbox::close);
	}

	private WeChatSandbox track(WeChatSandbox sandbox) {
		this.started.add(sandbox);
		return sandbox;
	}

	@Test
	void startUsesDefaultAppOnLoopback() {
		WeChatSandbox sandbox = track(WeChatSandbox.start());
		assertThat(sandbox.appId()).isEqualTo("wx0123456789abcdef");
		assertThat(sandbox.appSecret()).matches("[0-9a-f]{32}");
		assertThat(sandbox.port()).isPositive();
		assertThat(sandbox.baseUrl()).isEqualTo("http://127.0.0.1:" + sandbox.port());
	}

	@Test
	void startWithChosenApp() {
		WeChatSandbox sandbox = track(WeChatSandbox.start("wxaaaabbbbccccdddd", "secret"));
		assertThat(sandbox.appId()).isEqualTo("wxaaaabbbbccccdddd");
		assertThat(sandbox.appSecret()).isEqualTo("secret");
	}

	@Test
	void springPropertiesPointAtTheSandbox() {
		WeChatSandbox sandbox = track(WeChatSandbox.builder().appId("wx1").appSecret("s1").start());
		assertThat(sandbox.springProperties()).containsOnly(entry("wechat.miniapp.app-id", "wx1"),
				entry("wechat.miniapp.app-secret", "s1"), entry("wechat.miniapp.api-base-url", sandbox.baseUrl()));
	}

	@Test
	void builderRejectsNonsense() {
		assertThatIllegalArgumentException().isThrownBy(() -> WeChatSandbox.builder().appId(" "));
		assertThatIllegalArgumentException().isThrownBy(() -> WeChatSandbox.builder().appSecret(""));
		assertThatIllegalArgumentException().isThrownBy(() -> WeChatSandbox.builder().accessTokenTtl(Duration.ZERO));
	}

	@Test
	void unknownPathsAre404() {
		SandboxHttp http = new SandboxHttp(track(WeChatSandbox.start()));
		assertThat(http.get("/nope").statusCode()).isEqualTo(404);
		assertThat(http.get("/sns/jscode2session/extra").statusCode()).isEqualTo(404);
		assertThat(http.get("/").statusCode()).isEqualTo(404);
	}

	@Test
	void closeStopsTheServerQuicklyAndIsIdempotent() {
		WeChatSandbox sandbox = track(WeChatSandbox.start());
		SandboxHttp http = new SandboxHttp(sandbox);
		assertThat(http.get("/nope").statusCode()).isEqualTo(404);
		long start = System.nanoTime();
		sandbox.close();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		sandbox.close();
		assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), sandbox.port()).close())
			.isInstanceOf(ConnectException.class);
	}

	@Test
	void servesManyConcurrentRequests() {
		WeChatSandbox sandbox = track(WeChatSandbox.start());
		String url = sandbox.baseUrl() + "/cgi-bin/token?grant_type=client_credential&appid=" + sandbox.appId()
				+ "&secret=" + sandbox.appSecret();
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < 64; i++) {
			responses.add(SandboxHttp.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(url)).build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		List<String> tokens = responses.stream()
			.map(CompletableFuture::join)
			.map((response) -> SandboxHttp.json(response).get("access_token").asString())
			.toList();
		assertThat(tokens).hasSize(64).doesNotHaveDuplicates();
		assertThat(sandbox.requestCount(WeChatEndpoint.TOKEN)).isEqualTo(64);
	}

	@Test
	void handlesRequestsInParallel() {
		WeChatSandbox sandbox = track(WeChatSandbox.start());
		int parallel = 16;
		for (int i = 0; i < parallel; i++) {
			sandbox.enqueueFault(WeChatEndpoint.TOKEN, Fault.delay(Duration.ofMillis(200)));
		}
		String url = sandbox.baseUrl() + "/cgi-bin/token?grant_type=client_credential&appid=" + sandbox.appId()
				+ "&secret=" + sandbox.appSecret();
		long start = System.nanoTime();
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < parallel; i++) {
			responses.add(SandboxHttp.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(url)).build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		responses.forEach((response) -> assertThat(response.join().statusCode()).isEqualTo(200));
		// One thread would need 16 x 200 ms.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1600));
	}

	@Test
	void requestBodiesAreCappedAt64KiB() {
		WeChatSandbox sandbox = track(WeChatSandbox.start());
		SandboxHttp http = new SandboxHttp(sandbox);
		String padding = "x".repeat(64 * 1024);
		HttpResponse<String> response = http.post("/cgi-bin/stable_token", "{\"pad\":\"" + padding + "\"}");
		assertThat(response.statusCode()).isEqualTo(413);
		String justUnder = "{\"grant_type\":\"client_credential\",\"appid\":\"" + sandbox.appId() + "\",\"secret\":\""
				+ sandbox.appSecret() + "\",\"pad\":\"";
		String body = justUnder + "x".repeat(64 * 1024 - justUnder.length() - 2) + "\"}";
		assertThat(body).hasSize(64 * 1024);
		assertThat(SandboxHttp.json(http.post("/cgi-bin/stable_token", body)).has("access_token")).isTrue();
	}

	@Test
	void createdUsersLookLikeWeChatUsers() {
		WeChatSandbox sandbox = track(WeChatSandbox.start());
		WeChatSandboxUser user = sandbox.createUser();
		assertThat(user.openid()).matches("o[A-Za-z0-9_-]{27}");
		assertThat(user.unionid()).matches("u[A-Za-z0-9_-]{27}");
		assertThat(user.purePhoneNumber()).matches("13\\d{9}");
		assertThat(user.countryCode()).isEqualTo("86");
		assertThat(user.phoneNumber()).isEqualTo(user.purePhoneNumber());
		assertThat(sandbox.createUser().openid()).isNotEqualTo(user.openid());
	}

	@Test
	void createUserWithForeignNumber() {
		WeChatSandbox sandbox = track(WeChatSandbox.start());
		WeChatSandboxUser user = sandbox.createUser("2025550123", "1");
		assertThat(user.purePhoneNumber()).isEqualTo("2025550123");
		assertThat(user.phoneNumber()).isEqualTo("+1 2025550123");
		assertThatIllegalArgumentException().isThrownBy(() -> sandbox.createUser("138-0013", "86"));
		assertThatIllegalArgumentException().isThrownBy(() -> sandbox.createUser("13800138000", "+86"));
	}

	@Test
	void userToStringMasksThePhoneNumber() {
		WeChatSandboxUser user = new WeChatSandboxUser("oOpenid", "uUnionid", "13812345678", "86");
		assertThat(user.toString()).contains("*******5678").doesNotContain("1381234").contains("oOpenid");
	}

	@Test
	void sessionKeyIsSixteenBytesAndStableAcrossLoginCodes() {
		WeChatSandbox sandbox = track(WeChatSandbox.start());
		WeChatSandboxUser user = sandbox.createUser();
		String key = sandbox.sessionKey(user);
		assertThat(key).hasSize(24);
		assertThat(Base64.getDecoder().decode(key)).hasSize(16);
		sandbox.loginCode(user);
		sandbox.loginCode(user);
		assertThat(sandbox.sessionKey(user)).isEqualTo(key);
		String rotated = sandbox.rotateSessionKey(user);
		assertThat(rotated).isNotEqualTo(key).hasSize(24);
		assertThat(sandbox.sessionKey(user)).isEqualTo(rotated);
	}

	@Test
	void handBuiltUsersAreAdoptedButOpenidsStayUnique() {
		WeChatSandbox sandbox = track(WeChatSandbox.start());
		WeChatSandboxUser user = new WeChatSandboxUser("oHandBuilt", null, "13800138000", "86");
		SandboxHttp http = new SandboxHttp(sandbox);
		var session = SandboxHttp.json(http.jscode2session(sandbox.loginCode(user)));
		assertThat(session.get("openid").asString()).isEqualTo("oHandBuilt");
		assertThat(session.has("unionid")).isFalse();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> sandbox.loginCode(new WeChatSandboxUser("oHandBuilt", null, "13900139000", "86")));
	}

}
