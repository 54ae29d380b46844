package io.github.wechatminiapp.security;

import java.net.http.HttpResponse;
import java.util.UUID;

import io.github.wechatminiapp.test.Fault;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login cannot be turned into an amplifier towards WeChat: made-up codes from one
 * client, WeChat's frequency limit and malformed codes, each with the defaults and a
 * fresh context (the bounds outlive a test).
 */
@SpringBootTest(classes = MiniAppLoginTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class MiniAppLoginFloodIT {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	@Value("${local.server.port}")
	private int port;

	private Http http;

	@DynamicPropertySource
	static void sandboxProperties(DynamicPropertyRegistry registry) {
		sandbox.springProperties().forEach((name, value) -> registry.add(name, () -> value));
	}

	@BeforeEach
	void setUp() {
		this.http = new Http(this.port);
		sandbox.clearFaults();
		sandbox.resetCounts();
	}

	@Test
	void twoHundredMadeUpCodesFromOneClientReachWeChatAtMostFortyTimes() {
		int refused = 0;
		HttpResponse<String> last = null;
		for (int i = 0; i < 200; i++) {
			last = this.http.login(UUID.randomUUID().toString().replace("-", ""));
			if (last.statusCode() == 429) {
				refused++;
			}
			else {
				assertThat(last.statusCode()).isEqualTo(401);
			}
		}
		assertThat(sandbox.requestCount(WeChatEndpoint.JSCODE2SESSION)).isLessThanOrEqualTo(40).isEqualTo(30);
		assertThat(refused).isEqualTo(170);
		assertThat(Http.json(last).get("error").asString()).isEqualTo("too_many_logins");
		assertThat(last.headers().firstValue("Retry-After")).get()
			.satisfies((seconds) -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
		// A real code of the same client waits too: nothing tells it apart before WeChat
		// is asked.
		assertThat(this.http.login(sandbox.loginCode(sandbox.createUser())).statusCode()).isEqualTo(429);
	}

	@Test
	void successfulLoginsAreNeverCounted() {
		for (int i = 0; i < 40; i++) {
			assertThat(this.http.login(sandbox.loginCode(sandbox.createUser())).statusCode()).isEqualTo(200);
		}
		for (int i = 0; i < 30; i++) {
			assertThat(this.http.login("made-up-" + i).statusCode()).isEqualTo(401);
		}
		assertThat(this.http.login("made-up-31").statusCode()).isEqualTo(429);
	}

	@Test
	void afterWeChatsFrequencyLimitNoCodeIsSentUntilItsWaitIsOver() {
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.errcode(45011));
		HttpResponse<String> limited = this.http.login(sandbox.loginCode(sandbox.createUser()));
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("Retry-After")).contains("60");
		for (int i = 0; i < 5; i++) {
			HttpResponse<String> waiting = this.http.login(sandbox.loginCode(sandbox.createUser()));
			assertThat(waiting.statusCode()).isEqualTo(429);
			assertThat(Http.json(waiting).get("error").asString()).isEqualTo("rate_limited");
			assertThat(waiting.headers().firstValue("Retry-After")).get()
				.satisfies((seconds) -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
		}
		assertThat(sandbox.requestCount(WeChatEndpoint.JSCODE2SESSION)).isEqualTo(1);
	}

	@Test
	void malformedCodesNeverReachWeChat() {
		for (String code : new String[] { "with space", "tab\\t", "x".repeat(129), "中文", "nul\\u0000", "" }) {
			HttpResponse<String> response = this.http.login(code);
			assertThat(response.statusCode()).as(code).isEqualTo(400);
			assertThat(Http.json(response).get("error").asString()).isEqualTo("invalid_request");
		}
		assertThat(sandbox.requestCount(WeChatEndpoint.JSCODE2SESSION)).isZero();
	}

}
