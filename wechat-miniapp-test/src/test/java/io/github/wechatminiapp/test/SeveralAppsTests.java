package io.github.wechatminiapp.test;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.github.wechatminiapp.test.SandboxHttp.errcode;
import static io.github.wechatminiapp.test.SandboxHttp.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * One sandbox serving two apps: codes, tokens, sessions and watermarks stay with their
 * app, as on WeChat.
 */
class SeveralAppsTests {

	private static final String SHOP = "wx1111111111111111";

	private static final String SHOP_SECRET = "11111111111111111111111111111111";

	private final WeChatSandbox sandbox = WeChatSandbox.builder().app(SHOP, SHOP_SECRET).start();

	private final SandboxHttp http = new SandboxHttp(this.sandbox);

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	@Test
	void servesEveryAppWithItsOwnSecret() {
		assertThat(this.sandbox.appIds()).containsExactly(WeChatSandbox.DEFAULT_APP_ID, SHOP);
		assertThat(this.sandbox.appSecret(SHOP)).isEqualTo(SHOP_SECRET);
		assertThat(this.sandbox.appSecret(WeChatSandbox.DEFAULT_APP_ID)).isEqualTo(this.sandbox.appSecret());
		assertThat(errcode(jscode2session(SHOP, this.sandbox.appSecret(), "any"))).isEqualTo(40125);
		assertThatIllegalArgumentException().isThrownBy(() -> this.sandbox.appSecret("wx2222222222222222"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.sandbox.createUser("wx2222222222222222"));
	}

	@Test
	void aLoginCodeWorksOnlyForItsOwnAppAndStaysUsableThere() {
		WeChatSandboxUser shopper = this.sandbox.createUser(SHOP);
		assertThat(this.sandbox.appIdOf(shopper)).isEqualTo(SHOP);
		String code = this.sandbox.loginCode(shopper);
		JsonNode wrongApp = jscode2session(WeChatSandbox.DEFAULT_APP_ID, this.sandbox.appSecret(), code);
		assertThat(errcode(wrongApp)).isEqualTo(40029);
		JsonNode ownApp = jscode2session(SHOP, SHOP_SECRET, code);
		assertThat(errcode(ownApp)).isZero();
		assertThat(ownApp.get("openid").asString()).isEqualTo(shopper.openid());
		WeChatSandboxUser defaultUser = this.sandbox.createUser();
		assertThat(this.sandbox.appIdOf(defaultUser)).isEqualTo(WeChatSandbox.DEFAULT_APP_ID);
		assertThat(errcode(jscode2session(SHOP, SHOP_SECRET, this.sandbox.loginCode(defaultUser)))).isEqualTo(40029);
	}

	@Test
	void tokensPhoneCodesAndWatermarksBelongToTheirApp() {
		String shopToken = this.http
			.getJson("/cgi-bin/token?grant_type=client_credential&appid=" + SHOP + "&secret=" + SHOP_SECRET)
			.get("access_token")
			.asString();
		String defaultToken = this.http.token();
		assertThat(shopToken).isNotEqualTo(defaultToken);
		WeChatSandboxUser shopper = this.sandbox.createUser(SHOP);
		String phoneCode = this.sandbox.phoneCode(shopper);
		assertThat(errcode(this.http.phoneNumber(defaultToken, phoneCode))).isEqualTo(40029);
		JsonNode info = this.http.phoneNumber(shopToken, phoneCode).get("phone_info");
		assertThat(info.get("purePhoneNumber").asString()).isEqualTo(shopper.purePhoneNumber());
		assertThat(info.get("watermark").get("appid").asString()).isEqualTo(SHOP);
		WeChatSandboxUser defaultUser = this.sandbox.createUser();
		assertThat(this.http.phoneNumber(defaultToken, this.sandbox.phoneCode(defaultUser))
			.get("phone_info")
			.get("watermark")
			.get("appid")
			.asString()).isEqualTo(WeChatSandbox.DEFAULT_APP_ID);
		assertThat(errcode(this.http.phoneNumber("made-up", "any"))).isEqualTo(40001);
	}

	@Test
	void aSessionIsCheckedOnlyWithItsOwnAppsToken() {
		WeChatSandboxUser shopper = this.sandbox.createUser(SHOP);
		String signature = SandboxHttp.signature(this.sandbox.sessionKey(shopper));
		String shopToken = this.http
			.getJson("/cgi-bin/token?grant_type=client_credential&appid=" + SHOP + "&secret=" + SHOP_SECRET)
			.get("access_token")
			.asString();
		assertThat(errcode(this.http.checkSession(this.http.token(), shopper.openid(), signature))).isEqualTo(40003);
		assertThat(errcode(this.http.checkSession(shopToken, shopper.openid(), signature))).isZero();
	}

	@Test
	void encryptedDataIsWatermarkedWithTheUsersApp() throws Exception {
		WeChatSandboxUser shopper = this.sandbox.createUser(SHOP);
		EncryptedData data = this.sandbox.encryptPhoneNumber(shopper);
		String plaintext = SandboxHttp.decrypt(this.sandbox.sessionKey(shopper), data);
		assertThat(plaintext).contains("\"appid\":\"" + SHOP + "\"");
	}

	@Test
	void expiringAndRevokingReachEveryApp() {
		String shopToken = this.http
			.getJson("/cgi-bin/token?grant_type=client_credential&appid=" + SHOP + "&secret=" + SHOP_SECRET)
			.get("access_token")
			.asString();
		this.sandbox.expireAccessTokens();
		assertThat(errcode(this.http.phoneNumber(shopToken, "any"))).isEqualTo(42001);
		this.sandbox.revokeAccessTokens();
		assertThat(errcode(this.http.phoneNumber(shopToken, "any"))).isEqualTo(40001);
	}

	@Test
	void anAppIsAddedOnce() {
		WeChatSandbox.Builder builder = WeChatSandbox.builder().app(SHOP, SHOP_SECRET);
		assertThatIllegalArgumentException().isThrownBy(() -> builder.app(SHOP, SHOP_SECRET));
		assertThatIllegalArgumentException().isThrownBy(() -> builder.app(WeChatSandbox.DEFAULT_APP_ID, SHOP_SECRET));
	}

	private JsonNode jscode2session(String appId, String secret, String code) {
		return this.http.getJson("/sns/jscode2session?appid=" + q(appId) + "&secret=" + q(secret) + "&js_code="
				+ q(code) + "&grant_type=authorization_code");
	}

}
