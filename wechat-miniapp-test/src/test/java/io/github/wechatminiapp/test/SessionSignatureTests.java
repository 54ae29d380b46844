package io.github.wechatminiapp.test;

import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.github.wechatminiapp.test.SandboxHttp.errcode;
import static io.github.wechatminiapp.test.SandboxHttp.q;
import static io.github.wechatminiapp.test.SandboxHttp.signature;
import static org.assertj.core.api.Assertions.assertThat;

class SessionSignatureTests {

	private final WeChatSandbox sandbox = WeChatSandbox.start();

	private final SandboxHttp http = new SandboxHttp(this.sandbox);

	private final String token = this.http.token();

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	@Test
	void checkSessionAcceptsTheCurrentKeysSignature() {
		WeChatSandboxUser user = this.sandbox.createUser();
		String key = SandboxHttp.json(this.http.jscode2session(this.sandbox.loginCode(user)))
			.get("session_key")
			.asString();
		JsonNode body = this.http.checkSession(this.token, user.openid(), signature(key));
		assertThat(body.get("errcode").asInt()).isZero();
		assertThat(body.get("errmsg").asString()).isEqualTo("ok");
	}

	@Test
	void checkSessionRejectsAStaleKey() {
		WeChatSandboxUser user = this.sandbox.createUser();
		String stale = this.sandbox.sessionKey(user);
		this.sandbox.rotateSessionKey(user);
		JsonNode body = this.http.checkSession(this.token, user.openid(), signature(stale));
		assertThat(errcode(body)).isEqualTo(87009);
		assertThat(body.get("errmsg").asString()).startsWith("invalid signature, rid: ");
	}

	@Test
	void theSignatureKeyIsTheBase64TextNotTheDecodedBytes() {
		WeChatSandboxUser user = this.sandbox.createUser();
		String key = this.sandbox.sessionKey(user);
		String overBytes = SandboxHttp.hmacSha256Hex(Base64.getDecoder().decode(key));
		assertThat(errcode(this.http.checkSession(this.token, user.openid(), overBytes))).isEqualTo(87009);
		assertThat(errcode(this.http.checkSession(this.token, user.openid(), signature(key)))).isZero();
	}

	@Test
	void aUserWhoNeverLoggedInHasNoKeyToMatch() {
		WeChatSandboxUser user = this.sandbox.createUser();
		assertThat(errcode(this.http.checkSession(this.token, user.openid(), signature("AAAAAAAAAAAAAAAAAAAAAA=="))))
			.isEqualTo(87009);
	}

	@Test
	void unknownOpenidIs40003() {
		JsonNode body = this.http.checkSession(this.token, "oNobody", signature("AAAAAAAAAAAAAAAAAAAAAA=="));
		assertThat(errcode(body)).isEqualTo(40003);
		assertThat(body.get("errmsg").asString()).startsWith("invalid openid");
		assertThat(errcode(this.http.resetSessionKey(this.token, "oNobody", "00"))).isEqualTo(40003);
	}

	@Test
	void otherSignatureMethodsAreRejected() {
		WeChatSandboxUser user = this.sandbox.createUser();
		String sig = signature(this.sandbox.sessionKey(user));
		JsonNode body = this.http.getJson("/wxa/checksession?access_token=" + q(this.token) + "&openid=" + user.openid()
				+ "&signature=" + sig + "&sig_method=sha1");
		assertThat(errcode(body)).isEqualTo(87008);
		assertThat(body.get("errmsg").asString()).startsWith("invalid sig_method, rid: ");
		JsonNode reset = this.http.getJson("/wxa/resetusersessionkey?access_token=" + q(this.token) + "&openid="
				+ user.openid() + "&signature=" + sig + "&sig_method=md5");
		assertThat(errcode(reset)).isEqualTo(87008);
		assertThat(this.sandbox.sessionKey(user)).as("a refused reset changes nothing").isNotNull();
	}

	@Test
	void checkSessionNeedsAValidToken() {
		WeChatSandboxUser user = this.sandbox.createUser();
		String key = this.sandbox.sessionKey(user);
		String sig = signature(key);
		this.sandbox.expireAccessTokens();
		assertThat(errcode(this.http.checkSession(this.token, user.openid(), sig))).isEqualTo(42001);
		this.sandbox.revokeAccessTokens();
		assertThat(errcode(this.http.checkSession(this.token, user.openid(), sig))).isEqualTo(40001);
		assertThat(errcode(this.http.resetSessionKey(this.token, user.openid(), sig))).isEqualTo(40001);
		assertThat(this.sandbox.sessionKey(user)).as("a refused reset rotates nothing").isEqualTo(key);
	}

	@Test
	void resetUserSessionKeyRotatesTheKey() {
		WeChatSandboxUser user = this.sandbox.createUser();
		String old = this.sandbox.sessionKey(user);
		JsonNode body = this.http.resetSessionKey(this.token, user.openid(), signature(old));
		assertThat(body.get("errcode").asInt()).isZero();
		assertThat(body.get("errmsg").asString()).isEqualTo("ok");
		assertThat(body.get("openid").asString()).isEqualTo(user.openid());
		String fresh = body.get("session_key").asString();
		assertThat(fresh).isNotEqualTo(old).hasSize(24).isEqualTo(this.sandbox.sessionKey(user));
		assertThat(errcode(this.http.checkSession(this.token, user.openid(), signature(old)))).isEqualTo(87009);
		assertThat(errcode(this.http.checkSession(this.token, user.openid(), signature(fresh)))).isZero();
	}

	@Test
	void resetUserSessionKeyWithAStaleSignatureRotatesNothing() {
		WeChatSandboxUser user = this.sandbox.createUser();
		String stale = this.sandbox.sessionKey(user);
		String current = this.sandbox.rotateSessionKey(user);
		JsonNode body = this.http.resetSessionKey(this.token, user.openid(), signature(stale));
		assertThat(errcode(body)).isEqualTo(87009);
		assertThat(body.has("session_key")).isFalse();
		assertThat(this.sandbox.sessionKey(user)).isEqualTo(current);
	}

}
