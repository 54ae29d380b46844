package io.github.wechatminiapp.sample;

import java.util.Map;

import io.github.wechatminiapp.sample.ApiClient.Response;
import io.github.wechatminiapp.sample.sandbox.SandboxMode;
import io.github.wechatminiapp.test.WeChatSandbox;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator's whole flow through the app's own port: the sandbox's control endpoints
 * are forwarded under {@code /sandbox/}, so a client that can reach nothing but this port
 * (a forwarded 8080) plays the mini program.
 */
@ActiveProfiles("sandbox")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class SandboxProxyIT {

	@LocalServerPort
	int port;

	@Autowired
	SandboxMode sandboxMode;

	@Test
	void theWholeFlowRunsThroughTheAppsOwnPort() {
		ApiClient api = new ApiClient(this.port);
		WeChatSandbox sandbox = this.sandboxMode.sandbox();
		int before = sandbox.totalRequestCount();

		Response user = api.post("/sandbox/users", Map.of());
		assertThat(user.status()).as(user.toString()).isEqualTo(201);
		String openid = user.text("openid");
		assertThat(openid).isNotBlank();

		Response loginCode = api.post("/sandbox/users/" + openid + "/login-code", Map.of());
		assertThat(loginCode.status()).as(loginCode.toString()).isBetween(200, 201);
		String token = api.login(loginCode.text("code"));

		Response phoneCode = api.post("/sandbox/users/" + openid + "/phone-code", Map.of());
		Response phone = api.post("/api/phone", Map.of("code", phoneCode.text("code")), token);
		assertThat(phone.status()).as(phone.toString()).isEqualTo(200);
		assertThat(phone.text("phoneNumber")).isEqualTo(user.text("phoneNumber"));
		assertThat(sandbox.totalRequestCount()).isGreaterThan(before);
	}

	@Test
	void onlyTheSandboxsControlPathsAreForwarded() {
		ApiClient api = new ApiClient(this.port);
		assertThat(api.post("/sandbox/users?x=1", Map.of()).status()).isEqualTo(404);
		assertThat(api.post("/sandbox/users/a%2F..%2Fb/login-code", Map.of()).status()).isIn(400, 404);
		assertThat(api.get("/sandbox/users").status()).isIn(404, 405);
	}

	@Test
	void aLargeBodyIsNotForwarded() {
		ApiClient api = new ApiClient(this.port);
		Response response = api.post("/sandbox/users",
				"{\"x\":\"" + "A".repeat(RequestBodyLimitFilter.MAX_BODY_BYTES) + "\"}", null);
		assertThat(response.status()).isEqualTo(413);
	}

}
