package io.github.wechatminiapp.test;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.github.wechatminiapp.test.SandboxHttp.errcode;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every refusal ends its errmsg with a request id, as WeChat's do:
 * {@code "..., rid: <hex>-<hex>-<hex>"}.
 */
class ErrorMessagesTests {

	private static final String RID = ", rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}";

	private final WeChatSandbox sandbox = WeChatSandbox.builder().start();

	private final SandboxHttp http = new SandboxHttp(this.sandbox);

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	@Test
	void everyRefusalOfEveryEndpointCarriesARid() {
		String token = this.http.token();
		WeChatSandboxUser user = this.sandbox.createUser();
		String signature = SandboxHttp.signature(this.sandbox.sessionKey(user));
		Map<String, JsonNode> refusals = new LinkedHashMap<>();
		refusals.put("jscode2session: unknown code",
				this.http.getJson("/sns/jscode2session?appid=" + this.sandbox.appId() + "&secret="
						+ this.sandbox.appSecret() + "&js_code=nope&grant_type=authorization_code"));
		refusals.put("token: wrong secret", this.http
			.getJson("/cgi-bin/token?grant_type=client_credential&appid=" + this.sandbox.appId() + "&secret=wrong"));
		refusals.put("stable_token: not JSON", this.http.postJson("/cgi-bin/stable_token", "not json"));
		refusals.put("getuserphonenumber: unknown code", this.http.phoneNumber(token, "nope"));
		refusals.put("getuserphonenumber: bad token", this.http.phoneNumber("nope", "nope"));
		refusals.put("checksession: stale signature", this.http.checkSession(token, user.openid(), "00"));
		refusals.put("checksession: bad sig_method", this.http.getJson("/wxa/checksession?access_token="
				+ SandboxHttp.q(token) + "&openid=" + user.openid() + "&signature=" + signature + "&sig_method=x"));
		refusals.put("resetusersessionkey: unknown user", this.http.resetSessionKey(token, "oNobody", signature));
		this.sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(-1));
		refusals.put("fault", this.http.stableToken(false));
		assertThat(refusals).allSatisfy((what, body) -> {
			assertThat(errcode(body)).as(what).isNotZero();
			assertThat(body.get("errmsg").asString()).as(what).containsPattern(RID + "$");
		});
	}

	@Test
	void eachRefusalHasItsOwnRid() {
		String first = this.http.phoneNumber("nope", "nope").get("errmsg").asString();
		String second = this.http.phoneNumber("nope", "nope").get("errmsg").asString();
		assertThat(first).isNotEqualTo(second);
	}

}
