package io.github.wechatminiapp.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.wechatminiapp.sample.ApiClient.Response;
import io.github.wechatminiapp.sample.sandbox.SandboxMode;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * With credentials configured the app starts no sandbox of its own and calls the
 * configured WeChat (here a sandbox standing in for api.weixin.qq.com, given as
 * command-line arguments the way a deployment would).
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfiguredCredentialsIT {

	@Test
	void configuredCredentialsTurnSandboxModeOff(CapturedOutput output) {
		try (WeChatSandbox weChat = WeChatSandbox.start("wx1111111111111111", "abcdefghijklmnopqrstuvwxyz123456")) {
			List<String> args = new ArrayList<>();
			args.add("--server.port=0");
			weChat.springProperties().forEach((name, value) -> args.add("--" + name + "=" + value));
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
				.run(args.toArray(String[]::new))) {
				assertThat(context.getBeanProvider(SandboxMode.class).getIfAvailable()).isNull();
				assertThat(context.getEnvironment().containsProperty("sample.sandbox.base-url")).isFalse();
				int port = ((WebServerApplicationContext) context).getWebServer().getPort();
				ApiClient api = new ApiClient(port);

				// Not open without sandbox mode: no token, 401; and with one, there is
				// nothing there.
				assertThat(api.get("/sandbox-info").status()).isEqualTo(401);
				assertThat(api.post("/sandbox/users", Map.of()).status()).isEqualTo(401);
				WeChatSandboxUser user = weChat.createUser();
				String token = api.login(weChat.loginCode(user));
				Response info = api.get("/sandbox-info", token);
				assertThat(info.status()).isEqualTo(404);
				assertThat(api.post("/sandbox/users", Map.of(), token).status()).isEqualTo(404);

				Response phone = api.post("/api/phone", Map.of("code", weChat.phoneCode(user)), token);
				assertThat(phone.status()).isEqualTo(200);
				assertThat(phone.text("phoneNumber")).isEqualTo(user.phoneNumber());
				assertThat(output).doesNotContain("SANDBOX MODE");
			}
		}
	}

	@Test
	void withoutCredentialsAndWithoutTheSandboxProfileStartupFailsNamingTheAppId(CapturedOutput output) {
		SpringApplicationBuilder app = new SpringApplicationBuilder(SampleApplication.class);
		assertThatException().isThrownBy(() -> app.run("--server.port=0", "--spring.main.banner-mode=off"))
			.satisfies((ex) -> assertThat(ex).rootCause().hasMessageContaining("wechat.miniapp.app-id"));
		// The starter's failure analysis, as the README shows it.
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("No WeChat mini program is configured: wechat.miniapp.app-id is not set")
			.contains("Set wechat.miniapp.app-id and wechat.miniapp.app-secret")
			.doesNotContain("SANDBOX MODE");
	}

	@Test
	void theSandboxProfileWithCredentialsIsRefused(CapturedOutput output) {
		SpringApplicationBuilder app = new SpringApplicationBuilder(SampleApplication.class).profiles("sandbox");
		assertThatIllegalStateException()
			.isThrownBy(() -> app.run("--server.port=0", "--spring.main.banner-mode=off",
					"--wechat.miniapp.app-id=wx1111111111111111",
					"--wechat.miniapp.app-secret=abcdefghijklmnopqrstuvwxyz123456"))
			.withMessageContaining("'sandbox' profile")
			.withMessageContaining("wechat.miniapp.app-id is set");
		assertThat(output).doesNotContain("SANDBOX MODE").doesNotContain("abcdefghijklmnopqrstuvwxyz123456");
	}

}
