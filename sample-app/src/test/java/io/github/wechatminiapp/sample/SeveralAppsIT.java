package io.github.wechatminiapp.sample;

import java.util.Map;

import io.github.wechatminiapp.sample.ApiClient.Response;
import io.github.wechatminiapp.sample.sandbox.SandboxEnvironmentPostProcessor;
import io.github.wechatminiapp.sample.sandbox.SandboxMode;
import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One controller, two mini programs: the app is chosen at login by the Referer WeChat
 * sends (or the simulator's header), and the bearer token the login answers names it.
 */
@ActiveProfiles("sandbox")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SeveralAppsIT {

	private static final String SECOND = SandboxEnvironmentPostProcessor.SECOND_APP_ID;

	@LocalServerPort
	int port;

	@Autowired
	SandboxMode sandboxMode;

	WeChatSandbox sandbox;

	ApiClient api;

	@BeforeEach
	void setUp() {
		this.sandbox = this.sandboxMode.sandbox();
		this.api = new ApiClient(this.port);
	}

	@Test
	void theSecondAppIsChosenByTheReferer() {
		WeChatSandboxUser user = this.sandbox.createUser(SECOND);
		Response login = this.api.post("/api/login", Map.of("code", this.sandbox.loginCode(user)), null,
				Map.of("Referer", "https://servicewechat.com/" + SECOND + "/3/page-frame.html"));
		assertThat(login.status()).isEqualTo(200);
		assertThat(login.text("openid")).isEqualTo(user.openid());
		// The token names the app: the phone number is decrypted with the second app's
		// key and watermark.
		EncryptedData data = this.sandbox.encryptPhoneNumber(user);
		Response phone = this.api.post("/api/phone", Map.of("encryptedData", data.encryptedData(), "iv", data.iv()),
				login.text("token"));
		assertThat(phone.status()).isEqualTo(200);
		assertThat(phone.text("purePhoneNumber")).isEqualTo(user.purePhoneNumber());
		Response byCode = this.api.post("/api/phone", Map.of("code", this.sandbox.phoneCode(user)),
				login.text("token"));
		assertThat(byCode.status()).isEqualTo(200);
	}

	@Test
	void theSimulatorsHeaderChoosesTooAndALoginNamingNoAppGoesToTheFirstApp() {
		WeChatSandboxUser user = this.sandbox.createUser(SECOND);
		Response login = this.api.post("/api/login", Map.of("code", this.sandbox.loginCode(user)), null,
				Map.of("X-WeChat-App-Id", SECOND));
		assertThat(login.status()).isEqualTo(200);
		// Without a Referer or header, the first app (wechat.miniapp.app-id): the second
		// app's code is refused.
		Response wrongApp = this.api.post("/api/login", Map.of("code", this.sandbox.loginCode(user)));
		assertThat(wrongApp.status()).isEqualTo(401);
		assertThat(wrongApp.text("error")).isEqualTo("invalid_code");
		WeChatSandboxUser defaultUser = this.sandbox.createUser();
		assertThat(this.api.post("/api/login", Map.of("code", this.sandbox.loginCode(defaultUser))).status())
			.isEqualTo(200);
	}

	@Test
	void anUnknownOrMalformedAppIsABadRequest() {
		for (String appId : new String[] { "wx9999999999999999", "not-an-app" }) {
			Response response = this.api.post("/api/login", Map.of("code", "any"), null,
					Map.of("X-WeChat-App-Id", appId));
			assertThat(response.status()).as(appId).isEqualTo(400);
			assertThat(response.text("error")).as(appId).isEqualTo("invalid_request");
		}
	}

	@Test
	void theSimulatorIsToldBothApps() {
		assertThat(this.api.get("/sandbox-info").json().get("appIds").valueStream().map((id) -> id.asString()))
			.containsExactly(this.sandbox.appId(), SECOND);
	}

}
