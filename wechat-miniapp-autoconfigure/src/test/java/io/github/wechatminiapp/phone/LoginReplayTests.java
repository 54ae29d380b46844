package io.github.wechatminiapp.phone;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatCommunicationException;
import io.github.wechatminiapp.client.WeChatErrorCode;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.test.Fault;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.testsupport.OfflineClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The same login code sent twice (a double tap, a retried request) gets the same login
 * with one {@code jscode2session} call, against {@link WeChatSandbox} on loopback.
 */
class LoginReplayTests {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private final SteppingClock clock = new SteppingClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final CaffeineSessionKeyRepository sessionKeys = new CaffeineSessionKeyRepository(Duration.ofHours(1),
			1000);

	private final PhoneNumberService service = service();

	private final ExecutorService executor = Executors.newFixedThreadPool(16);

	private PhoneNumberService service() {
		PhoneNumberService service = new PhoneNumberService(
				new WeChatMiniAppClient(RestClient.builder().baseUrl(sandbox.baseUrl()).build(), sandbox.appId(),
						sandbox.appSecret(), RetrySettings.DEFAULT),
				this.sessionKeys, OfflineClients.NO_ACCESS_TOKENS);
		service.setClock(this.clock);
		return service;
	}

	@BeforeEach
	void reset() {
		sandbox.clearFaults();
		sandbox.resetCounts();
	}

	@AfterEach
	void stopExecutor() {
		this.executor.shutdownNow();
	}

	@Test
	void theSameCodeTwiceGivesTheSameLoginWithOneExchange() {
		WeChatSandboxUser user = sandbox.createUser();
		String code = sandbox.loginCode(user);
		MiniAppLogin first = this.service.login(code);
		MiniAppLogin second = this.service.login(code);
		assertThat(second).isEqualTo(first).isEqualTo(new MiniAppLogin(sandbox.appId(), user.openid(), user.unionid()));
		assertThat(sandbox.receivedJsCodes()).containsExactly(code);
		assertThat(this.sessionKeys.find(user.openid())).isPresent();
	}

	@Test
	void concurrentDoubleSubmitsShareOneExchange() throws Exception {
		WeChatSandboxUser user = sandbox.createUser();
		String code = sandbox.loginCode(user);
		// WeChat answers slowly, so every submit arrives while the first exchange is in
		// flight.
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.delay(Duration.ofMillis(300)));
		List<Future<MiniAppLogin>> logins = submitTogether(16, code);
		for (Future<MiniAppLogin> login : logins) {
			assertThat(login.get(10, TimeUnit.SECONDS))
				.isEqualTo(new MiniAppLogin(sandbox.appId(), user.openid(), user.unionid()));
		}
		assertThat(sandbox.requestCount(WeChatEndpoint.JSCODE2SESSION)).isEqualTo(1);
	}

	@Test
	void aFailureIsSharedByTheConcurrentWaitersButNotRemembered() throws Exception {
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.delay(Duration.ofMillis(300)));
		List<Future<MiniAppLogin>> logins = submitTogether(8, "never-issued");
		for (Future<MiniAppLogin> login : logins) {
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> login.get(10, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOfSatisfying(WeChatApiException.class,
						(ex) -> assertThat(ex.errorCode()).contains(WeChatErrorCode.INVALID_CODE));
		}
		assertThat(sandbox.requestCount(WeChatEndpoint.JSCODE2SESSION)).isEqualTo(1);
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> this.service.login("never-issued"));
		assertThat(sandbox.requestCount(WeChatEndpoint.JSCODE2SESSION)).as("asked again").isEqualTo(2);
	}

	@Test
	void aCodeThatFailedOnceForAPassingReasonCanStillLogIn() {
		WeChatSandboxUser user = sandbox.createUser();
		String code = sandbox.loginCode(user);
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.httpStatus(502));
		assertThatExceptionOfType(WeChatCommunicationException.class).isThrownBy(() -> this.service.login(code));
		assertThat(this.service.login(code).openid()).isEqualTo(user.openid());
	}

	@Test
	void pastTheWindowTheCodeIsWeChatsToJudgeAgain() {
		WeChatSandboxUser user = sandbox.createUser();
		String code = sandbox.loginCode(user);
		this.service.login(code);
		this.clock.advance(PhoneNumberService.LOGIN_REPLAY_WINDOW.minusSeconds(1));
		assertThat(this.service.login(code).openid()).isEqualTo(user.openid());
		this.clock.advance(Duration.ofSeconds(1));
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> this.service.login(code))
			.satisfies((ex) -> assertThat(ex.errorCode()).contains(WeChatErrorCode.CODE_USED));
		assertThat(sandbox.receivedJsCodes()).containsExactly(code, code);
	}

	@Test
	void differentCodesAreDifferentLogins() {
		WeChatSandboxUser first = sandbox.createUser();
		WeChatSandboxUser second = sandbox.createUser();
		assertThat(this.service.login(sandbox.loginCode(first)).openid()).isEqualTo(first.openid());
		assertThat(this.service.login(sandbox.loginCode(second)).openid()).isEqualTo(second.openid());
		assertThat(sandbox.requestCount(WeChatEndpoint.JSCODE2SESSION)).isEqualTo(2);
	}

	@Test
	void malformedCodesAreRefusedBeforeAnythingIsSentOrRemembered() {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> this.service.login(null));
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> this.service.login("x".repeat(129)));
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> this.service.login("x".repeat(128) + " "));
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> this.service.login("with space"));
		assertThat(sandbox.requestCount(WeChatEndpoint.JSCODE2SESSION)).isZero();
	}

	@Test
	void theWindowIsKeyedByAHashThatDoesNotShowTheCode() {
		String code = "0a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P";
		String key = PhoneNumberService.loginKey(code);
		assertThat(key).isEqualTo(PhoneNumberService.loginKey(code)).hasSize(22).doesNotContain(code.substring(0, 8));
		assertThat(PhoneNumberService.loginKey(code + "x")).isNotEqualTo(key);
		assertThat(PhoneNumberService.MAX_RECENT_LOGINS).isEqualTo(10_000);
	}

	private List<Future<MiniAppLogin>> submitTogether(int submits, String code) {
		CountDownLatch start = new CountDownLatch(1);
		List<Future<MiniAppLogin>> logins = new ArrayList<>();
		for (int i = 0; i < submits; i++) {
			logins.add(this.executor.submit(() -> {
				start.await();
				return this.service.login(code);
			}));
		}
		start.countDown();
		return logins;
	}

	private static final class SteppingClock extends Clock {

		private volatile Instant now;

		SteppingClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
