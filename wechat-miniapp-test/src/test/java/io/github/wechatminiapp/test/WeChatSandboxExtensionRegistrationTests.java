package io.github.wechatminiapp.test;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extension as users register it.
 */
class WeChatSandboxExtensionRegistrationTests {

	@RegisterExtension
	static final WeChatSandboxExtension SANDBOX = new WeChatSandboxExtension();

	private static WeChatSandbox seenInBeforeAll;

	@BeforeAll
	static void remember(WeChatSandbox sandbox) {
		seenInBeforeAll = sandbox;
	}

	@Test
	void injectsTheRunningSandbox(WeChatSandbox sandbox, TestInfo otherParameter) {
		// Had the extension claimed TestInfo too, JUnit would have refused to run this
		// method.
		assertThat(otherParameter.getTestMethod()).isPresent();
		assertThat(sandbox).isSameAs(SANDBOX.sandbox()).isSameAs(seenInBeforeAll);
		WeChatSandboxUser user = sandbox.createUser();
		assertThat(SandboxHttp.json(new SandboxHttp(sandbox).jscode2session(sandbox.loginCode(user)))
			.get("openid")
			.asString()).isEqualTo(user.openid());
	}

	@Nested
	class InANestedClass {

		@Test
		void seesTheOuterSandbox(WeChatSandbox sandbox) {
			assertThat(sandbox).isSameAs(seenInBeforeAll);
		}

	}

}
