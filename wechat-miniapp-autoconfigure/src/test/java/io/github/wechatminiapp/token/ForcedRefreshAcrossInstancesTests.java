package io.github.wechatminiapp.token;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.wechatminiapp.client.PhoneInfo;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.test.MutableClock;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.testsupport.redis.EmbeddedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two instances (two providers, each with its own Redis connection and HTTP client) share
 * one token in a real Redis and talk to the sandbox, which keeps handing out a token it
 * rejects until a forced refresh.
 */
class ForcedRefreshAcrossInstancesTests {

	private static final EmbeddedRedis redis = EmbeddedRedis.start();

	private static final LettuceConnectionFactory first = redis.connectionFactory();

	private static final LettuceConnectionFactory second = redis.connectionFactory();

	private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

	/**
	 * Tomorrow's noon in Beijing: clear of WeChat's day boundary, and never in the past,
	 * as Redis expires the token by its own clock.
	 */
	private final Instant noon = java.time.LocalDate.now(BEIJING).plusDays(1).atTime(12, 0).atZone(BEIJING).toInstant();

	private final Instant midnight = this.noon.plus(Duration.ofHours(12));

	private final MutableClock clock = new MutableClock(this.noon);

	private final WeChatSandbox sandbox = WeChatSandbox.builder().clock(this.clock).start();

	@AfterAll
	static void stop() {
		first.destroy();
		second.destroy();
		redis.close();
	}

	@BeforeEach
	void flush() {
		new StringRedisTemplate(first).execute((org.springframework.data.redis.core.RedisCallback<Void>) (c) -> {
			c.serverCommands().flushAll();
			return null;
		});
	}

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	private CachingAccessTokenProvider instance(LettuceConnectionFactory connection, int forcedRefreshesPerDay) {
		WeChatMiniAppClient client = client();
		RedisAccessTokenStore store = new RedisAccessTokenStore(new StringRedisTemplate(connection),
				this.sandbox.appId());
		store.setKeyPrefix("test:");
		CachingAccessTokenProvider provider = new CachingAccessTokenProvider(client, store);
		provider.setForcedRefreshesPerDay(forcedRefreshesPerDay);
		provider.setClock(this.clock);
		return provider;
	}

	private WeChatMiniAppClient client() {
		return new WeChatMiniAppClient(
				RestClient.builder()
					.baseUrl(this.sandbox.baseUrl())
					.requestFactory(new JdkClientHttpRequestFactory(HttpClient.newHttpClient()))
					.build(),
				this.sandbox.appId(), this.sandbox.appSecret(), new RetrySettings(1, Duration.ZERO, Duration.ZERO, 1));
	}

	private PhoneInfo phoneNumber(CachingAccessTokenProvider tokens, WeChatMiniAppClient client,
			WeChatSandboxUser user) {
		String code = this.sandbox.phoneCode(user);
		return tokens.execute((token) -> client.getUserPhoneNumber(token, code));
	}

	@Test
	void aStormOf40001sFrom64CallersOnTwoInstancesCausesExactlyOneForcedRefresh() throws Exception {
		CachingAccessTokenProvider a = instance(first, 10);
		CachingAccessTokenProvider b = instance(second, 10);
		String rejected = a.getAccessToken();
		assertThat(b.getAccessToken()).isEqualTo(rejected);
		this.sandbox.rejectStableToken();
		this.sandbox.resetCounts();
		WeChatSandboxUser user = this.sandbox.createUser();
		WeChatMiniAppClient clientA = client();
		WeChatMiniAppClient clientB = client();
		ExecutorService pool = Executors.newFixedThreadPool(64);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<PhoneInfo>> answers = new ArrayList<>();
		try {
			for (int i = 0; i < 64; i++) {
				boolean onA = i % 2 == 0;
				answers.add(pool.submit(() -> {
					start.await();
					return onA ? phoneNumber(a, clientA, user) : phoneNumber(b, clientB, user);
				}));
			}
			start.countDown();
			for (Future<PhoneInfo> answer : answers) {
				assertThat(answer.get(30, TimeUnit.SECONDS).purePhoneNumber()).isEqualTo(user.purePhoneNumber());
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.sandbox.forcedRefreshCount()).isEqualTo(1);
		// Every caller met the rejection at most once: 64 first calls and at most 64
		// retries.
		assertThat(this.sandbox.requestCount(WeChatEndpoint.GET_USER_PHONE_NUMBER)).isBetween(65, 128);
		assertThat(a.getAccessToken()).isNotEqualTo(rejected).isEqualTo(b.getAccessToken());
	}

	@Test
	void theThirtySecondWindowAndTheDailyBudgetHoldAcrossInstances() {
		CachingAccessTokenProvider a = instance(first, 2);
		CachingAccessTokenProvider b = instance(second, 2);
		WeChatMiniAppClient client = client();
		WeChatSandboxUser user = this.sandbox.createUser();
		a.getAccessToken();
		this.sandbox.rejectStableToken();
		phoneNumber(a, client, user);
		assertThat(this.sandbox.forcedRefreshCount()).isEqualTo(1);

		// WeChat rejects the new token too, within 30 s: instance b may not force again.
		this.sandbox.rejectStableToken();
		this.clock.advance(Duration.ofSeconds(29));
		assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(() -> phoneNumber(b, client, user))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo(AccessTokenUnavailableException.Reason.TOO_SOON);
				assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(30));
			});
		assertThat(this.sandbox.forcedRefreshCount()).isEqualTo(1);

		// Until then, calls rejected for that token fail at once: no stable_token call,
		// forced or not.
		int stableTokenCalls = this.sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN);
		this.clock.advance(Duration.ofSeconds(29));
		for (int i = 0; i < 10; i++) {
			assertThatExceptionOfType(AccessTokenUnavailableException.class)
				.isThrownBy(() -> phoneNumber(b, client, user));
		}
		assertThat(this.sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(stableTokenCalls);

		this.clock.advance(Duration.ofSeconds(1));
		phoneNumber(b, client, user);
		assertThat(this.sandbox.forcedRefreshCount()).isEqualTo(2);

		// The budget of two is spent, whichever instance asks.
		this.sandbox.rejectStableToken();
		this.clock.advance(Duration.ofMinutes(1));
		assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(() -> phoneNumber(a, client, user))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo(AccessTokenUnavailableException.Reason.DAILY_LIMIT_REACHED);
				assertThat(ex.retryAfter()).isEqualTo(Duration.between(this.clock.instant(), this.midnight));
			});
		assertThat(this.sandbox.forcedRefreshCount()).isEqualTo(2);

		// The rejected token expires within two hours; then WeChat's normal mode hands
		// out a new one, unforced.
		this.clock.set(this.midnight);
		phoneNumber(b, client, user);
		assertThat(this.sandbox.forcedRefreshCount()).isEqualTo(2);
	}

	@Test
	void weChatsDailyLimitBlocksEveryInstanceUntilMidnightInBeijing() {
		WeChatMiniAppClient direct = client();
		for (int i = 0; i < WeChatSandbox.FORCED_REFRESHES_PER_DAY; i++) {
			direct.fetchStableAccessToken(true);
			this.clock.advance(Duration.ofSeconds(30));
		}
		CachingAccessTokenProvider a = instance(first, 20);
		CachingAccessTokenProvider b = instance(second, 20);
		WeChatMiniAppClient client = client();
		WeChatSandboxUser user = this.sandbox.createUser();
		a.getAccessToken();
		this.sandbox.rejectStableToken();
		this.sandbox.resetCounts();
		assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(() -> phoneNumber(a, client, user))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo(AccessTokenUnavailableException.Reason.DAILY_LIMIT_REACHED);
				assertThat(ex.getCause()).hasMessageContaining("45009");
			});
		assertThat(this.sandbox.forcedRefreshCount()).isEqualTo(1);
		this.clock.advance(Duration.ofMinutes(5));
		assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(() -> phoneNumber(b, client, user))
			.satisfies((ex) -> assertThat(ex.retryAfter())
				.isEqualTo(Duration.between(this.clock.instant(), this.midnight)));
		assertThat(this.sandbox.forcedRefreshCount()).isEqualTo(1);
	}

	@Test
	void configuredTheTokenIsEncryptedAtRestAndTheBudgetApplies() {
		String[] redisProperties = redis.springProperties();
		new org.springframework.boot.test.context.runner.ApplicationContextRunner()
			.withConfiguration(org.springframework.boot.autoconfigure.AutoConfigurations.of(
					org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration.class,
					io.github.wechatminiapp.autoconfigure.WeChatMiniAppRedisAutoConfiguration.class,
					io.github.wechatminiapp.autoconfigure.WeChatMiniAppAutoConfiguration.class))
			.withPropertyValues(this.sandbox.springPropertyValues())
			.withPropertyValues(redisProperties)
			.withPropertyValues("wechat.miniapp.store=redis",
					"wechat.miniapp.redis.encryption-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
					"wechat.miniapp.access-token.forced-refreshes-per-day=0")
			.run((context) -> {
				io.github.wechatminiapp.token.AccessTokenProvider tokens = context
					.getBean(io.github.wechatminiapp.token.AccessTokenProvider.class);
				String token = tokens.getAccessToken();
				String raw = new StringRedisTemplate(first).opsForValue()
					.get("wechat:miniapp:{" + this.sandbox.appId() + "}:access-token");
				assertThat(raw).isNotNull().doesNotContain(token);
				assertThat(tokens.getAccessToken()).isEqualTo(token);
				this.sandbox.rejectStableToken();
				WeChatMiniAppClient client = context.getBean(WeChatMiniAppClient.class);
				String code = this.sandbox.phoneCode(this.sandbox.createUser());
				assertThatExceptionOfType(AccessTokenUnavailableException.class)
					.isThrownBy(() -> tokens.execute((accessToken) -> client.getUserPhoneNumber(accessToken, code)))
					.satisfies((ex) -> assertThat(ex.reason())
						.isEqualTo(AccessTokenUnavailableException.Reason.DAILY_LIMIT_REACHED));
				assertThat(this.sandbox.forcedRefreshCount()).isZero();
			});
	}

}
