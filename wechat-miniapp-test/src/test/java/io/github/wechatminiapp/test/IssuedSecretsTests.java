package io.github.wechatminiapp.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IssuedSecretsTests {

	@Test
	void recordsEverySecretAndPhoneNumberHandedOut() {
		try (WeChatSandbox sandbox = WeChatSandbox.start()) {
			WeChatSandboxUser user = sandbox.createUser("13700001234", "86");
			String first = sandbox.sessionKey(user);
			String rotated = sandbox.rotateSessionKey(user);
			SandboxHttp http = new SandboxHttp(sandbox);
			String token = http.stableToken(false).get("access_token").asString();
			String legacyToken = http.token();
			assertThat(WeChatSandbox.issuedSecrets()).contains(sandbox.appSecret(), first, rotated, token, legacyToken);
			assertThat(WeChatSandbox.issuedPhoneNumbers()).contains("13700001234");
			assertThat(WeChatSandbox.issuedSecrets()).doesNotContain("13700001234");
		}
	}

	@Test
	void springPropertyValuesAreTheSpringPropertiesAsPairs() {
		try (WeChatSandbox sandbox = WeChatSandbox.start()) {
			assertThat(sandbox.springPropertyValues()).containsExactly("wechat.miniapp.app-id=" + sandbox.appId(),
					"wechat.miniapp.app-secret=" + sandbox.appSecret(),
					"wechat.miniapp.api-base-url=" + sandbox.baseUrl());
		}
	}

}
