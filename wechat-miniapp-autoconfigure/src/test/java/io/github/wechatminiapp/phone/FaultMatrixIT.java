package io.github.wechatminiapp.phone;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.github.wechatminiapp.autoconfigure.WeChatMiniAppAutoConfiguration;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatCommunicationException;
import io.github.wechatminiapp.test.Fault;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A misbehaving WeChat, case by case: each row says the faults injected, the outcome, and
 * how many requests reached WeChat.
 */
class FaultMatrixIT {

	/**
	 * The sandbox's clock moves on between cases: WeChat ignores a forced refresh within
	 * 30 s of the last.
	 */
	private static final SteppingClock clock = new SteppingClock();

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension(
			WeChatSandbox.builder().clock(clock));

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WeChatMiniAppAutoConfiguration.class))
		.withPropertyValues(sandbox.springPropertyValues())
		.withPropertyValues("wechat.miniapp.retry.initial-backoff=5ms", "wechat.miniapp.http.read-timeout=500ms");

	@BeforeEach
	void reset() {
		clock.step(Duration.ofSeconds(31));
		sandbox.clearFaults();
		sandbox.resetCounts();
	}

	static Stream<Arguments> loginFaults() {
		return Stream.of(Arguments.of("busy: a login code is never sent twice", List.of(Fault.errcode(-1)), -1, null),
				Arguments.of("frequency limit", List.of(Fault.errcode(45011)), 45011, null),
				Arguments.of("high-risk user", List.of(Fault.errcode(40226)), 40226, null),
				Arguments.of("HTTP 502", List.of(Fault.httpStatus(502)), null, "HTTP status 502"),
				Arguments.of("read timeout", List.of(Fault.delay(Duration.ofMillis(1500))), null, "I/O error"),
				Arguments.of("malformed JSON", List.of(Fault.malformedBody()), null, "not JSON"),
				Arguments.of("empty body", List.of(Fault.emptyBody()), null, "empty answer"));
	}

	@ParameterizedTest(name = "login, {0}")
	@MethodSource("loginFaults")
	void loginFault(String name, List<Fault> faults, Integer errcode, String problem) {
		faults.forEach((fault) -> sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, fault));
		WeChatSandboxUser user = sandbox.createUser();
		String code = sandbox.loginCode(user);
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			if (errcode != null) {
				assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> service.login(code))
					.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(errcode));
			}
			else {
				assertThatExceptionOfType(WeChatCommunicationException.class).isThrownBy(() -> service.login(code))
					.withMessageContaining(problem)
					.satisfies((ex) -> {
						assertThat(ex.getMessage()).doesNotContain(sandbox.appSecret(), code);
						assertThat(ex.kind() == WeChatCommunicationException.Kind.TIMEOUT)
							.isEqualTo(name.equals("read timeout"));
					});
			}
		});
		assertThat(sandbox.requestCount(WeChatEndpoint.JSCODE2SESSION)).isEqualTo(1);
		assertThat(sandbox.receivedJsCodes()).containsExactly(code);
	}

	static Stream<Arguments> phoneFaults() {
		return Stream.of(Arguments.of("busy once: retried", List.of(Fault.errcode(-1)), null, null, 2, 1),
				Arguments.of("busy three times: bounded",
						List.of(Fault.errcode(-1), Fault.errcode(-1), Fault.errcode(-1)), -1, null, 3, 1),
				Arguments.of("40001 once: one refresh, one retry", List.of(Fault.errcode(40001)), null, null, 2, 3),
				Arguments.of("42001 once: one refresh, one retry", List.of(Fault.errcode(42001)), null, null, 2, 3),
				Arguments.of("40001 twice: no loop", List.of(Fault.errcode(40001), Fault.errcode(40001)), 40001, null,
						2, 3),
				Arguments.of("quota exhausted: not retried", List.of(Fault.errcode(1400001)), 1400001, null, 1, 1),
				Arguments.of("HTTP 503", List.of(Fault.httpStatus(503)), null, "HTTP status 503", 1, 1),
				Arguments.of("read timeout", List.of(Fault.delay(Duration.ofMillis(1500))), null, "I/O error", 1, 1),
				Arguments.of("malformed JSON", List.of(Fault.malformedBody()), null, "not JSON", 1, 1),
				Arguments.of("empty body", List.of(Fault.emptyBody()), null, "empty answer", 1, 1));
	}

	@ParameterizedTest(name = "phone code, {0}")
	@MethodSource("phoneFaults")
	void phoneFault(String name, List<Fault> faults, Integer errcode, String problem, int phoneRequests,
			int tokenRequests) {
		faults.forEach((fault) -> sandbox.enqueueFault(WeChatEndpoint.GET_USER_PHONE_NUMBER, fault));
		WeChatSandboxUser user = sandbox.createUser("13800138000", "86");
		String code = sandbox.phoneCode(user);
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			if (errcode == null && problem == null) {
				assertThat(service.getPhoneNumber(code).purePhoneNumber()).isEqualTo("13800138000");
			}
			else if (errcode != null) {
				assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> service.getPhoneNumber(code))
					.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(errcode));
			}
			else {
				assertThatExceptionOfType(WeChatCommunicationException.class)
					.isThrownBy(() -> service.getPhoneNumber(code))
					.withMessageContaining(problem);
			}
		});
		assertThat(sandbox.requestCount(WeChatEndpoint.GET_USER_PHONE_NUMBER)).isEqualTo(phoneRequests);
		// After a rejected token: the stable token comes back unchanged once, then a
		// forced refresh replaces it.
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(tokenRequests);
	}

	@Test
	void tokenEndpointFailingMeansNoPhoneRequest() {
		sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.malformedBody());
		String code = sandbox.phoneCode(sandbox.createUser());
		this.runner.run((context) -> assertThatExceptionOfType(WeChatCommunicationException.class)
			.isThrownBy(() -> context.getBean(PhoneNumberService.class).getPhoneNumber(code)));
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(1);
		assertThat(sandbox.requestCount(WeChatEndpoint.GET_USER_PHONE_NUMBER)).isZero();
	}

	@Test
	void connectionRefusedIsACommunicationFailure() throws Exception {
		int closedPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
				java.net.InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		this.runner.withPropertyValues("wechat.miniapp.api-base-url=http://127.0.0.1:" + closedPort)
			.run((context) -> assertThatExceptionOfType(WeChatCommunicationException.class)
				.isThrownBy(() -> context.getBean(PhoneNumberService.class).login("some-code"))
				.withMessageContaining("I/O error")
				.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(sandbox.appSecret())));
	}

	static final class SteppingClock extends java.time.Clock {

		private volatile Duration offset = Duration.ZERO;

		void step(Duration duration) {
			this.offset = this.offset.plus(duration);
		}

		@Override
		public java.time.ZoneId getZone() {
			return java.time.ZoneOffset.UTC;
		}

		@Override
		public java.time.Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public java.time.Instant instant() {
			return java.time.Instant.now().plus(this.offset);
		}

	}

}
