package io.github.wechatminiapp.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.wechatminiapp.RetryLaterException;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.test.Fault;
import io.github.wechatminiapp.test.RecordingAppender;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.token.AccessTokenUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The access token during WeChat outages, against the sandbox: one fetch in flight whose
 * outcome every waiter shares, fail-fast callers during the backoff, logins untouched,
 * and recovery once the outage ends.
 */
class AccessTokenOutageTests {

	private final WeChatSandbox sandbox = WeChatSandbox.start();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WeChatMiniAppAutoConfiguration.class,
				WeChatMiniAppObservabilityAutoConfiguration.class))
		.withPropertyValues(this.sandbox.springPropertyValues())
		.withPropertyValues("wechat.miniapp.http.connect-timeout=1s", "wechat.miniapp.http.read-timeout=2s");

	private final ExecutorService threads = Executors.newFixedThreadPool(49);

	@AfterEach
	void close() {
		this.threads.shutdownNow();
		this.sandbox.close();
	}

	@Test
	void fortyEightPhoneCallsDuringAHangingTokenEndpointAreAllAnsweredFastWithFewTokenRequests() {
		this.runner.run((context) -> {
			PhoneNumberService phoneNumbers = context.getBean(PhoneNumberService.class);
			List<String> codes = new ArrayList<>();
			for (int i = 0; i < 48; i++) {
				codes.add(this.sandbox.phoneCode(this.sandbox.createUser()));
			}
			WeChatSandboxUser loginUser = this.sandbox.createUser();
			String loginCode = this.sandbox.loginCode(loginUser);
			this.sandbox.startOutage(WeChatEndpoint.STABLE_TOKEN, Fault.hang(), Duration.ofSeconds(30));
			CountDownLatch start = new CountDownLatch(1);
			long began = System.nanoTime();
			List<CompletableFuture<Throwable>> calls = new ArrayList<>();
			for (String code : codes) {
				calls.add(CompletableFuture.supplyAsync(() -> {
					await(start);
					return catchThrowable(() -> phoneNumbers.getPhoneNumber(code));
				}, this.threads));
			}
			start.countDown();
			while (this.sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN) == 0) {
				Thread.sleep(5);
			}
			// Logins never wait for a token: jscode2session answers while the token
			// endpoint hangs.
			long loginStart = System.nanoTime();
			assertThat(phoneNumbers.login(loginCode).openid()).isEqualTo(loginUser.openid());
			assertThat(Duration.ofNanos(System.nanoTime() - loginStart)).isLessThan(Duration.ofSeconds(1));
			CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
			assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
			for (CompletableFuture<Throwable> call : calls) {
				assertThat(call.get()).isInstanceOf(RetryLaterException.class);
				assertThat(((RetryLaterException) call.get()).retryAfter()).isPositive();
			}
			assertThat(calls.stream().filter((call) -> call.join() instanceof AccessTokenUnavailableException))
				.as("callers that shared the fetch in flight")
				.hasSizeGreaterThanOrEqualTo(40);
			assertThat(this.sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isBetween(1, 8);
			// Within the backoff, more callers fail at once without a request.
			assertThat(catchThrowable(() -> phoneNumbers.getPhoneNumber(codes.get(0))))
				.isInstanceOf(AccessTokenUnavailableException.class);
			assertThat(this.sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isBetween(1, 8);
		});
	}

	@Test
	void aRefusedIpCostsAtMostThreeTokenRequestsOverAHundredCallsInTenSeconds() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		this.runner.withBean(MeterRegistry.class, () -> meters).run((context) -> {
			PhoneNumberService phoneNumbers = context.getBean(PhoneNumberService.class);
			this.sandbox.startOutage(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(89503), Duration.ofMinutes(1));
			int errorsBefore = refusalErrors();
			long began = System.nanoTime();
			for (int i = 0; i < 100; i++) {
				Throwable failure = catchThrowable(() -> phoneNumbers.getPhoneNumber("code-" + System.nanoTime()));
				assertThat(failure).isInstanceOfAny(AccessTokenUnavailableException.class, WeChatApiException.class);
				if (failure instanceof AccessTokenUnavailableException unavailable) {
					assertThat(unavailable.reason()).isEqualTo(AccessTokenUnavailableException.Reason.FETCH_REFUSED);
					assertThat(unavailable.retryAfter()).isGreaterThan(Duration.ofMinutes(9));
				}
				// One call every 100 ms: 100 calls in 10 s.
				long next = began + (i + 1) * 100_000_000L;
				Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
			}
			assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThanOrEqualTo(Duration.ofSeconds(12));
			assertThat(this.sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isBetween(1, 3);
			// One ERROR line naming the errcode and the rid, however many calls failed.
			assertThat(refusalErrors()).isEqualTo(errorsBefore + 1);
			assertThat(RecordingAppender.lines()
				.stream()
				.filter((line) -> line.contains("refuses this server's access token requests"))
				.reduce((first, second) -> second)
				.orElseThrow()).contains("errcode 89503")
				.containsPattern("rid [0-9a-f-]{8,}")
				.doesNotContain(this.sandbox.appSecret());
			assertThat(meters.get("wechat.miniapp.access-token.fetch.failures")
				.tags("app", this.sandbox.appId(), "errcode", "89503", "refusal", "true")
				.counter()
				.count()).isEqualTo(this.sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN));
		});
	}

	@Test
	void phoneNumbersFlowAgainSoonAfterTheOutageEnds() {
		this.runner
			.withPropertyValues("wechat.miniapp.access-token.failure-backoff=200ms",
					"wechat.miniapp.access-token.max-failure-backoff=1s")
			.run((context) -> {
				PhoneNumberService phoneNumbers = context.getBean(PhoneNumberService.class);
				this.sandbox.startOutage(WeChatEndpoint.STABLE_TOKEN, Fault.hang(), Duration.ofMinutes(1));
				WeChatSandboxUser user = this.sandbox.createUser();
				assertThat(catchThrowable(() -> phoneNumbers.getPhoneNumber(this.sandbox.phoneCode(user))))
					.isInstanceOf(RetryLaterException.class);
				this.sandbox.endOutage(WeChatEndpoint.STABLE_TOKEN);
				long ended = System.nanoTime();
				String phoneNumber = null;
				while (phoneNumber == null && System.nanoTime() - ended < Duration.ofSeconds(30).toNanos()) {
					try {
						phoneNumber = phoneNumbers.getPhoneNumber(this.sandbox.phoneCode(user)).purePhoneNumber();
					}
					catch (RetryLaterException ex) {
						Thread.sleep(50);
					}
				}
				assertThat(phoneNumber).isEqualTo(user.purePhoneNumber());
				assertThat(Duration.ofNanos(System.nanoTime() - ended)).isLessThan(Duration.ofSeconds(30));
			});
	}

	private static int refusalErrors() {
		return (int) RecordingAppender.lines()
			.stream()
			.filter((line) -> line.contains("refuses this server's access token requests"))
			.count();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
