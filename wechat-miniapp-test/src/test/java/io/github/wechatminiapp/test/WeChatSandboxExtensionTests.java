package io.github.wechatminiapp.test;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drives the extension's class callbacks by hand, to pin down the order-dependent
 * behaviour (lazy start, nested classes) that a single real registration cannot show.
 * Parameter resolution is covered by {@link WeChatSandboxExtensionRegistrationTests}.
 */
class WeChatSandboxExtensionTests {

	static class Outer {

	}

	static class Nested {

	}

	private static void assertClosed(WeChatSandbox sandbox) {
		assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), sandbox.port()).close())
			.isInstanceOf(ConnectException.class);
	}

	@Test
	void startsLazilyBeforeBeforeAllAndKeepsTheSameSandbox() {
		WeChatSandboxExtension extension = new WeChatSandboxExtension();
		WeChatSandbox early = extension.sandbox();
		assertThat(early.springProperties()).containsEntry("wechat.miniapp.api-base-url", early.baseUrl());
		assertThat(new SandboxHttp(early).get("/nope").statusCode()).isEqualTo(404);
		extension.beforeAll(Outer.class);
		assertThat(extension.sandbox()).isSameAs(early);
		extension.afterAll(Outer.class);
		assertClosed(early);
	}

	@Test
	void beforeAllStartsTheSandboxWhenNobodyAskedYet() {
		WeChatSandboxExtension extension = new WeChatSandboxExtension("wxcustomappid0000", "custom-secret");
		extension.beforeAll(Outer.class);
		WeChatSandbox sandbox = extension.sandbox();
		assertThat(sandbox.appId()).isEqualTo("wxcustomappid0000");
		assertThat(sandbox.appSecret()).isEqualTo("custom-secret");
		extension.afterAll(Outer.class);
		assertClosed(sandbox);
		WeChatSandbox next = extension.sandbox();
		assertThat(next).as("a new class run gets a new sandbox").isNotSameAs(sandbox);
		next.close();
	}

	@Test
	void nestedClassesShareTheOuterSandbox() {
		WeChatSandboxExtension extension = new WeChatSandboxExtension();
		extension.beforeAll(Outer.class);
		WeChatSandbox sandbox = extension.sandbox();
		extension.beforeAll(Nested.class);
		assertThat(extension.sandbox()).isSameAs(sandbox);
		extension.afterAll(Nested.class);
		assertThat(new SandboxHttp(sandbox).get("/nope").statusCode()).isEqualTo(404);
		extension.afterAll(Outer.class);
		assertClosed(sandbox);
	}

	@Test
	void builderConfiguresTheSandbox() {
		MutableClock clock = new MutableClock(Instant.parse("2025-03-01T08:00:00Z"));
		WeChatSandboxExtension extension = new WeChatSandboxExtension(WeChatSandbox.builder().clock(clock));
		try {
			WeChatSandbox sandbox = extension.sandbox();
			String code = sandbox.loginCode(sandbox.createUser());
			clock.advance(WeChatSandbox.CODE_TTL);
			assertThat(SandboxHttp.errcode(SandboxHttp.json(new SandboxHttp(sandbox).jscode2session(code))))
				.as("the code expired by the builder's clock")
				.isEqualTo(40029);
		}
		finally {
			extension.afterAll(Outer.class);
		}
	}

}
