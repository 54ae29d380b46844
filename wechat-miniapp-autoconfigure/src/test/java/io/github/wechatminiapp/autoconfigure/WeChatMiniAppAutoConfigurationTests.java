package io.github.wechatminiapp.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.wechatminiapp.apps.MiniApp;
import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.token.AccessTokenProvider;
import io.github.wechatminiapp.token.AccessTokenStore;
import io.github.wechatminiapp.token.CachingAccessTokenProvider;
import io.github.wechatminiapp.token.InMemoryAccessTokenStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class WeChatMiniAppAutoConfigurationTests {

	private static final String APP_ID = "wx0123456789abcdef";

	private static final String APP_SECRET = "0123456789abcdef0123456789abcdef";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(RestClientAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class));

	private final ApplicationContextRunner configured = this.runner
		.withPropertyValues("wechat.miniapp.app-id=" + APP_ID, "wechat.miniapp.app-secret=" + APP_SECRET);

	@Test
	void createsEveryBeanWithDefaults() {
		this.configured.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(WeChatMiniAppClient.class)
				.hasSingleBean(PhoneNumberService.class)
				.hasSingleBean(AccessTokenStore.class)
				.hasSingleBean(WeChatMiniAppProperties.class);
			assertThat(context).getBean(SessionKeyRepository.class).isInstanceOf(CaffeineSessionKeyRepository.class);
			assertThat(context).getBean(AccessTokenProvider.class).isInstanceOf(CachingAccessTokenProvider.class);
			assertThat(context).getBean(AccessTokenStore.class).isInstanceOf(InMemoryAccessTokenStore.class);
			assertThat(context.getBean(WeChatMiniAppClient.class).appId()).isEqualTo(APP_ID);
			WeChatMiniAppProperties properties = context.getBean(WeChatMiniAppProperties.class);
			assertThat(properties.getApiBaseUrl()).isEqualTo("https://api.weixin.qq.com");
			assertThat(properties.getAccessToken().isStable()).isTrue();
			assertThat(properties.getWatermark().getMaxAge()).isEqualTo(Duration.ofMinutes(5));
		});
	}

	@Test
	void bindsEveryPropertyGroup() {
		this.configured
			.withPropertyValues("wechat.miniapp.api-base-url=http://127.0.0.1:9",
					"wechat.miniapp.http.connect-timeout=1s", "wechat.miniapp.http.read-timeout=3s",
					"wechat.miniapp.retry.max-attempts=5", "wechat.miniapp.retry.initial-backoff=10ms",
					"wechat.miniapp.retry.max-backoff=1s", "wechat.miniapp.retry.multiplier=3",
					"wechat.miniapp.access-token.stable=false", "wechat.miniapp.access-token.refresh-before=1m",
					"wechat.miniapp.session.time-to-live=1h", "wechat.miniapp.session.maximum-size=7",
					"wechat.miniapp.watermark.max-age=0")
			.run((context) -> {
				WeChatMiniAppProperties properties = context.getBean(WeChatMiniAppProperties.class);
				assertThat(properties.getApiBaseUrl()).isEqualTo("http://127.0.0.1:9");
				assertThat(properties.getHttp().getConnectTimeout()).isEqualTo(Duration.ofSeconds(1));
				assertThat(properties.getHttp().getReadTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.getRetry().getMaxAttempts()).isEqualTo(5);
				assertThat(properties.getRetry().getInitialBackoff()).isEqualTo(Duration.ofMillis(10));
				assertThat(properties.getRetry().getMaxBackoff()).isEqualTo(Duration.ofSeconds(1));
				assertThat(properties.getRetry().getMultiplier()).isEqualTo(3.0);
				assertThat(properties.getAccessToken().isStable()).isFalse();
				assertThat(properties.getAccessToken().getRefreshBefore()).isEqualTo(Duration.ofMinutes(1));
				assertThat(properties.getSession().getTimeToLive()).isEqualTo(Duration.ofHours(1));
				assertThat(properties.getSession().getMaximumSize()).isEqualTo(7);
				assertThat(properties.getWatermark().getMaxAge()).isEqualTo(Duration.ZERO);
			});
	}

	@Test
	void disabledCreatesNothingAndNeedsNoCredentials() {
		this.runner.withPropertyValues("wechat.miniapp.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(WeChatMiniAppClient.class)
				.doesNotHaveBean(PhoneNumberService.class)
				.doesNotHaveBean(SessionKeyRepository.class)
				.doesNotHaveBean(WeChatMiniAppProperties.class));
	}

	@Test
	void missingAppIdFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("wechat.miniapp.app-secret=" + APP_SECRET).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("wechat.miniapp.app-id");
		});
	}

	@Test
	void malformedAppIdFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("wechat.miniapp.app-id=my-app", "wechat.miniapp.app-secret=" + APP_SECRET)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("wechat.miniapp.app-id"));
	}

	@Test
	void missingAppSecretFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("wechat.miniapp.app-id=" + APP_ID)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("wechat.miniapp.app-secret"));
	}

	@Test
	void malformedAppSecretFailsStartupWithoutRepeatingIt() {
		String malformed = "short-but-secret";
		this.runner.withPropertyValues("wechat.miniapp.app-id=" + APP_ID, "wechat.miniapp.app-secret=" + malformed)
			.run((context) -> {
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("wechat.miniapp.app-secret");
				Throwable failure = context.getStartupFailure();
				while (failure != null) {
					assertThat(failure.getMessage()).doesNotContain(malformed);
					failure = failure.getCause();
				}
			});
	}

	@Test
	void propertiesToStringHidesTheSecret() {
		this.configured
			.run((context) -> assertThat(context.getBean(WeChatMiniAppProperties.class).toString()).contains(APP_ID)
				.doesNotContain(APP_SECRET));
	}

	@Test
	void userBeansReplaceEveryDefault() {
		this.configured.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(SessionKeyRepository.class)).isSameAs(UserBeans.SESSION_KEYS);
			assertThat(context.getBean(AccessTokenStore.class)).isSameAs(UserBeans.TOKEN_STORE);
			assertThat(context.getBean(AccessTokenProvider.class)).isSameAs(UserBeans.TOKENS);
			assertThat(context.getBean(WeChatMiniAppClient.class)).isSameAs(UserBeans.CLIENT);
			assertThat(context.getBean(PhoneNumberService.class)).isSameAs(UserBeans.SERVICE);
			MiniApp app = context.getBean(MiniApps.class).app(APP_ID);
			assertThat(app.client()).isSameAs(UserBeans.CLIENT);
			assertThat(app.phoneNumbers()).isSameAs(UserBeans.SERVICE);
		});
	}

	@Test
	void userSessionKeyRepositoryIsUsedByTheDefaultService() {
		this.configured.withUserConfiguration(UserSessionKeys.class).run((context) -> {
			assertThat(context).hasSingleBean(SessionKeyRepository.class).hasSingleBean(PhoneNumberService.class);
			assertThat(context.getBean(SessionKeyRepository.class)).isInstanceOf(NoOpSessionKeys.class);
		});
	}

	@Test
	void clientIsNotBuiltFromTheContextsRestClientBuilder() {
		// The application's customizers would see the secret and tokens WeChat takes in
		// query strings.
		this.configured.withUserConfiguration(CountingCustomizer.class).run((context) -> {
			assertThat(context).hasSingleBean(WeChatMiniAppClient.class);
			assertThat(context.getBean(CountingCustomizer.class).calls).hasValue(0);
		});
	}

	@Test
	void starterCustomizersAreAppliedInOrder() {
		java.util.List<String> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.configured
			.withBean("second", WeChatMiniAppRestClientCustomizer.class,
					() -> new OrderedCustomizer(2, "second", applied))
			.withBean("first", WeChatMiniAppRestClientCustomizer.class,
					() -> new OrderedCustomizer(1, "first", applied))
			.run((context) -> {
				assertThat(context).hasSingleBean(WeChatMiniAppClient.class);
				assertThat(applied).containsExactly("first", "second");
			});
	}

	@Test
	void theRefreshLockLeaseFollowsTheTimeoutsAndRetries() {
		java.util.List<Duration> leases = new java.util.concurrent.CopyOnWriteArrayList<>();
		InMemoryAccessTokenStore memory = new InMemoryAccessTokenStore();
		class RecordingStore implements AccessTokenStore, io.github.wechatminiapp.token.AccessTokenLock {

			@Override
			public java.util.Optional<io.github.wechatminiapp.token.CachedAccessToken> get() {
				return memory.get();
			}

			@Override
			public void put(io.github.wechatminiapp.token.CachedAccessToken token) {
				memory.put(token);
			}

			@Override
			public void evict(String value) {
				memory.evict(value);
			}

			@Override
			public boolean tryLock(String owner, Duration leaseTime) {
				leases.add(leaseTime);
				return true;
			}

			@Override
			public void unlock(String owner) {
			}

		}
		AccessTokenStore recording = new RecordingStore();
		try (io.github.wechatminiapp.test.WeChatSandbox sandbox = io.github.wechatminiapp.test.WeChatSandbox.start()) {
			this.runner.withPropertyValues(sandbox.springPropertyValues())
				.withPropertyValues("wechat.miniapp.http.connect-timeout=1s", "wechat.miniapp.http.read-timeout=3s",
						"wechat.miniapp.retry.max-attempts=2", "wechat.miniapp.retry.initial-backoff=500ms")
				.withBean(AccessTokenStore.class, () -> recording)
				.run((context) -> {
					context.getBean(AccessTokenProvider.class).getAccessToken();
					// Two fetches of two attempts of 1 s + 3 s with 500 ms between them,
					// and 5 s for the store.
					assertThat(leases).containsExactly(Duration.ofSeconds(22));
				});
		}
	}

	@Test
	void httpApiBaseUrlIsAllowedForLoopbackHostsOnly() {
		for (String url : new String[] { "http://127.0.0.1:8080", "http://127.1.2.3", "http://localhost:9",
				"http://LOCALHOST", "http://[::1]:8080", "HTTP://127.0.0.1", "https://api.weixin.qq.com",
				"https://example.com:8443/base" }) {
			this.configured.withPropertyValues("wechat.miniapp.api-base-url=" + url)
				.run((context) -> assertThat(context).as(url).hasNotFailed());
		}
	}

	@Test
	void httpApiBaseUrlToAnotherHostFailsStartupNamingTheProperty() {
		for (String url : new String[] { "http://api.weixin.qq.com", "http://10.0.0.1", "http://128.0.0.1",
				"http://127.0.0.256", "http://localhost.example.com", "http://[::2]", "http://[fe80::1]",
				"http://127.0.0.1.nip.io", "http://127.300.0.1", "http://1127.0.0.1", "http://12.0.0.1",
				"ftp://127.0.0.1", "api.weixin.qq.com", "https://", "http://[::1", "" }) {
			this.configured.withPropertyValues("wechat.miniapp.api-base-url=" + url)
				.run((context) -> assertThat(context.getStartupFailure()).as(url)
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("wechat.miniapp.api-base-url"));
		}
	}

	@Test
	void forcedRefreshesPerDayDefaultsToTenAndStaysWithinWeChatsLimit() {
		this.configured.run((context) -> assertThat(
				context.getBean(WeChatMiniAppProperties.class).getAccessToken().getForcedRefreshesPerDay())
			.isEqualTo(10));
		this.configured.withPropertyValues("wechat.miniapp.access-token.forced-refreshes-per-day=20")
			.run((context) -> assertThat(context).hasNotFailed());
		this.configured.withPropertyValues("wechat.miniapp.access-token.forced-refreshes-per-day=0")
			.run((context) -> assertThat(context).hasNotFailed());
		for (String value : new String[] { "21", "-1" }) {
			this.configured.withPropertyValues("wechat.miniapp.access-token.forced-refreshes-per-day=" + value)
				.run((context) -> assertThat(context.getStartupFailure()).as(value)
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("wechat.miniapp.access-token.forced-refreshes-per-day"));
		}
	}

	@Test
	void worksWithoutSpringBootsRestClientModule() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WeChatMiniAppAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.restclient"))
			.withPropertyValues("wechat.miniapp.app-id=" + APP_ID, "wechat.miniapp.app-secret=" + APP_SECRET)
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(WeChatMiniAppClient.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final SessionKeyRepository SESSION_KEYS = new NoOpSessionKeys();

		static final AccessTokenStore TOKEN_STORE = new InMemoryAccessTokenStore();

		static final AccessTokenProvider TOKENS = mock(AccessTokenProvider.class);

		static final WeChatMiniAppClient CLIENT = mock(WeChatMiniAppClient.class);

		static final PhoneNumberService SERVICE = mock(PhoneNumberService.class);

		@Bean
		SessionKeyRepository sessionKeys() {
			return SESSION_KEYS;
		}

		@Bean
		AccessTokenStore tokenStore() {
			return TOKEN_STORE;
		}

		@Bean
		AccessTokenProvider tokens() {
			return TOKENS;
		}

		@Bean
		WeChatMiniAppClient client() {
			return CLIENT;
		}

		@Bean
		PhoneNumberService service() {
			return SERVICE;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSessionKeys {

		@Bean
		SessionKeyRepository sessionKeys() {
			return new NoOpSessionKeys();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CountingCustomizer implements RestClientCustomizer {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public void customize(org.springframework.web.client.RestClient.Builder builder) {
			this.calls.incrementAndGet();
		}

	}

	record OrderedCustomizer(int order, String name, java.util.List<String> applied)
			implements
				WeChatMiniAppRestClientCustomizer,
				org.springframework.core.Ordered {

		@Override
		public void customize(org.springframework.web.client.RestClient.Builder builder) {
			this.applied.add(this.name);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

	static final class NoOpSessionKeys implements SessionKeyRepository {

		@Override
		public void save(String openid, SessionKey sessionKey) {
		}

		@Override
		public java.util.Optional<SessionKey> find(String openid) {
			return java.util.Optional.empty();
		}

		@Override
		public void remove(String openid) {
		}

	}

}
