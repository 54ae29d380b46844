package io.github.wechatminiapp.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Spring recipe, for real: Spring asks for the properties whenever it builds
 * the context, and the lazy start makes that work whether or not beforeAll ran first.
 */
@SpringJUnitConfig(WeChatSandboxDynamicPropertySourceTests.Config.class)
class WeChatSandboxDynamicPropertySourceTests {

	@RegisterExtension
	static final WeChatSandboxExtension SANDBOX = new WeChatSandboxExtension();

	@DynamicPropertySource
	static void wechat(DynamicPropertyRegistry registry) {
		SANDBOX.sandbox().springProperties().forEach((name, value) -> registry.add(name, () -> value));
	}

	@Value("${wechat.miniapp.api-base-url}")
	String apiBaseUrl;

	@Value("${wechat.miniapp.app-id}")
	String appId;

	@Value("${wechat.miniapp.app-secret}")
	String appSecret;

	@Test
	void propertiesPointAtTheRunningSandbox(WeChatSandbox sandbox) {
		assertThat(sandbox).isSameAs(SANDBOX.sandbox());
		assertThat(this.apiBaseUrl).isEqualTo(sandbox.baseUrl());
		assertThat(this.appId).isEqualTo(sandbox.appId());
		assertThat(this.appSecret).isEqualTo(sandbox.appSecret());
		assertThat(new SandboxHttp(sandbox).get("/nope").statusCode()).isEqualTo(404);
	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

	}

}
