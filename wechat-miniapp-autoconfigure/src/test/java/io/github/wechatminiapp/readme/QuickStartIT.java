package io.github.wechatminiapp.readme;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Quick start, run as written with Spring Security's defaults (CSRF on,
 * nothing permitted): the login, the phone number bound to the logged-in user, and the
 * answers without a token.
 */
@SpringBootTest(classes = QuickStartApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QuickStartIT {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private final HttpClient client = HttpClient.newHttpClient();

	@Value("${local.server.port}")
	private int port;

	@DynamicPropertySource
	static void sandboxProperties(DynamicPropertyRegistry registry) {
		sandbox.springProperties().forEach((name, value) -> registry.add(name, () -> value));
	}

	@Test
	void theMiniProgramLogsInAndGetsItsPhoneNumber() throws Exception {
		WeChatSandboxUser user = sandbox.createUser("13800138000", "86");
		HttpResponse<String> login = post("/login/wechat-miniapp", "{\"code\":\"" + sandbox.loginCode(user) + "\"}",
				null);
		assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
		String token = JsonMapper.builder().build().readTree(login.body()).get("token").asString();
		HttpResponse<String> phone = post("/api/phone", "{\"code\":\"" + sandbox.phoneCode(user) + "\"}", token);
		assertThat(phone.statusCode()).as(phone.body()).isEqualTo(200);
		assertThat(phone.body()).contains("\"purePhoneNumber\":\"13800138000\"");
		// A phone code of someone else is the starter's exception: problem details, 400.
		HttpResponse<String> others = post("/api/phone",
				"{\"code\":\"" + sandbox.phoneCode(sandbox.createUser()) + "\"}", token);
		assertThat(others.statusCode()).isEqualTo(400);
		assertThat(others.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
	}

	@Test
	void withoutATokenEverythingIs401() throws Exception {
		HttpResponse<String> phone = post("/api/phone", "{\"code\":\"x\"}", null);
		assertThat(phone.statusCode()).isEqualTo(401);
		assertThat(phone.headers().firstValue("WWW-Authenticate")).contains("Bearer");
		assertThat(phone.headers().allValues("Set-Cookie")).isEmpty();
		assertThat(this.client
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/error")).build(),
					HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(401);
	}

	private HttpResponse<String> post(String path, String body, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
