package io.github.wechatminiapp.autoconfigure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import io.github.wechatminiapp.apps.MiniApp;
import io.github.wechatminiapp.apps.MiniAppCredentials;
import io.github.wechatminiapp.apps.MiniAppCredentialsRepository;
import io.github.wechatminiapp.apps.MiniApps;

import io.github.wechatminiapp.client.RedactingClientRequestObservationConvention;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.opendata.OpenDataService;
import io.github.wechatminiapp.opendata.OpenDataRejectionListener;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.opendata.FailureBudgetListener;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.token.AccessTokenProvider;
import io.github.wechatminiapp.token.AccessTokenStore;
import io.github.wechatminiapp.token.CachingAccessTokenProvider;

import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.client.RestClient;

/**
 * Auto-configuration of the WeChat Mini Program client, session-key store, access tokens and
 * {@link PhoneNumberService} and {@link OpenDataService} of the default app, and of {@link MiniApps} for every app.
 * Every app's services, the default app's included, are built by {@link MiniAppServicesFactory}.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "wechat.miniapp", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(WeChatMiniAppProperties.class)
public final class WeChatMiniAppAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(WeChatMiniAppClient.class)
	WeChatMiniAppHttpResources weChatMiniAppHttpResources(WeChatMiniAppProperties properties) {
		return new WeChatMiniAppHttpResources(properties.getHttp().getConnectTimeout(),
				properties.getHttp().getReadTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	MiniAppServicesFactory miniAppServicesFactory(WeChatMiniAppProperties properties,
			ObjectProvider<WeChatMiniAppHttpResources> http, ObjectProvider<WeChatMiniAppClient> userClient,
			ObjectProvider<WeChatMiniAppRestClientCustomizer> customizers,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<MiniAppServicesFactory.RedisStores> redisStores,
			ObjectProvider<OpenDataRejectionListener> rejectionListener,
			ObjectProvider<FailureBudgetListener> failureBudgetListener, ObjectProvider<JsonMapper> jsonMapper) {
		// One HTTP client for every app; each app's client is a view over it with that app's credentials.
		// Without our HTTP resources the user defined the client, and other apps' clients are views over theirs.
		SingletonSupplier<BiFunction<String, String, WeChatMiniAppClient>> clients = SingletonSupplier.of(() -> {
			WeChatMiniAppHttpResources resources = http.getIfAvailable();
			if (resources == null) {
				return userClient.getObject()::withCredentials;
			}
			WeChatMiniAppClient shared = sharedClient(properties, resources, customizers, observationRegistry);
			return shared::withCredentials;
		});
		return new MiniAppServicesFactory(properties, (appId, appSecret) -> clients.obtain().apply(appId, appSecret),
				redisStores::getIfAvailable,
				() -> rejectionListener.getIfAvailable(() -> OpenDataRejectionListener.NONE),
				() -> allOf(failureBudgetListener.orderedStream().toList()),
				// The application's mapper, so its modules bind the application's own payload types.
				() -> jsonMapper.getIfUnique(() -> JsonMapper.builder().build()), Clock.systemUTC());
	}

	/** Every listener is told: the metrics and, with Spring Security, the revocation of the user's tokens. */
	private static FailureBudgetListener allOf(List<FailureBudgetListener> listeners) {
		return new FailureBudgetListener() {

			@Override
			public void exhausted(String appId) {
				listeners.forEach((listener) -> listener.exhausted(appId));
			}

			@Override
			public void exhausted(String appId, String openid) {
				listeners.forEach((listener) -> listener.exhausted(appId, openid));
			}

		};
	}

	private static WeChatMiniAppClient sharedClient(WeChatMiniAppProperties properties,
			WeChatMiniAppHttpResources http, ObjectProvider<WeChatMiniAppRestClientCustomizer> customizers,
			ObjectProvider<ObservationRegistry> observationRegistry) {
		// Not the context's RestClient.Builder: the application's customizers (request logging, say) would see
		// the app secret and access tokens WeChat takes in query strings. Only observations are taken over, with
		// the query string redacted, and only customizers written for this client.
		ObservationRegistry observations = observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP);
		RestClient.Builder builder = RestClient.builder()
			.baseUrl(properties.getApiBaseUrl())
			.requestFactory(http.requestFactory())
			.observationRegistry(observations)
			.observationConvention(new RedactingClientRequestObservationConvention());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		WeChatMiniAppProperties.Retry retry = properties.getRetry();
		// A placeholder app: only ever used through withCredentials.
		return new WeChatMiniAppClient(builder.build(), "shared", "shared", retrySettings(retry), observations);
	}

	static RetrySettings retrySettings(WeChatMiniAppProperties.Retry retry) {
		return new RetrySettings(retry.getMaxAttempts(), retry.getInitialBackoff(), retry.getMaxBackoff(),
				retry.getMultiplier());
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnDefaultMiniAppCondition.class)
	WeChatMiniAppClient weChatMiniAppClient(MiniAppServicesFactory factory) {
		return factory.client(factory.requireDefaultApp());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "wechat.miniapp.session", name = "store", havingValue = "caffeine",
			matchIfMissing = true)
	@Conditional(OnDefaultMiniAppCondition.class)
	SessionKeyRepository caffeineSessionKeyRepository(MiniAppServicesFactory factory) {
		return factory.caffeineSessionKeys(factory.requireDefaultApp().appId());
	}

	@Bean
	@ConditionalOnMissingBean(SessionKeyRepository.class)
	@ConditionalOnProperty(prefix = "wechat.miniapp.session", name = "store", havingValue = "redis")
	@Conditional(OnDefaultMiniAppCondition.class)
	SessionKeyRepository unavailableRedisSessionKeyRepository() {
		// Asked for explicitly: falling back to memory would lose keys between instances without a word.
		throw new IllegalStateException("wechat.miniapp.session.store=redis needs Spring Data Redis on the "
				+ "classpath and a RedisConnectionFactory bean (spring-boot-starter-data-redis)");
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "wechat.miniapp.access-token", name = "store", havingValue = "memory",
			matchIfMissing = true)
	@Conditional(OnDefaultMiniAppCondition.class)
	AccessTokenStore weChatAccessTokenStore(MiniAppServicesFactory factory) {
		return factory.memoryAccessTokenStore();
	}

	@Bean
	@ConditionalOnMissingBean(AccessTokenStore.class)
	@ConditionalOnProperty(prefix = "wechat.miniapp.access-token", name = "store", havingValue = "redis")
	@Conditional(OnDefaultMiniAppCondition.class)
	AccessTokenStore unavailableRedisAccessTokenStore() {
		throw new IllegalStateException("wechat.miniapp.access-token.store=redis needs Spring Data Redis on the "
				+ "classpath and a RedisConnectionFactory bean (spring-boot-starter-data-redis)");
	}

	@Bean
	@ConditionalOnMissingBean(AccessTokenProvider.class)
	@Conditional(OnDefaultMiniAppCondition.class)
	CachingAccessTokenProvider weChatAccessTokenProvider(MiniAppServicesFactory factory, WeChatMiniAppClient client,
			AccessTokenStore store) {
		return factory.accessTokens(client, store);
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnDefaultMiniAppCondition.class)
	PhoneNumberService phoneNumberService(MiniAppServicesFactory factory, WeChatMiniAppClient client,
			SessionKeyRepository sessionKeys, AccessTokenProvider accessTokens) {
		return factory.phoneNumbers(client, sessionKeys, accessTokens);
	}

	@Bean
	@ConditionalOnMissingBean
	MiniApps miniApps(MiniAppServicesFactory factory, WeChatMiniAppProperties properties,
			ObjectProvider<PhoneNumberService> phoneNumbers, ObjectProvider<OpenDataService> openData,
			ObjectProvider<AccessTokenProvider> accessTokens,
			ObjectProvider<SessionKeyRepository> sessionKeys, ObjectProvider<MiniAppCredentialsRepository> repository) {
		MiniAppCredentialsRepository credentials = repository.getIfUnique();
		List<MiniAppCredentials> configured = factory.configuredApps();
		if (configured.isEmpty() && credentials == null) {
			throw MiniAppServicesFactory.noAppConfigured();
		}
		String defaultAppId = factory.defaultApp().map(MiniAppCredentials::appId).orElse(null);
		List<MiniApp> apps = new ArrayList<>();
		for (MiniAppCredentials app : configured) {
			PhoneNumberService defaultService = phoneNumbers.getIfUnique();
			OpenDataService defaultOpenData = openData.getIfUnique();
			// The default app is the single-app beans themselves: one set of keys and one token, however reached.
			apps.add((app.appId().equals(defaultAppId) && defaultService != null && defaultOpenData != null)
					? new MiniApp(app.appId(), defaultService, defaultOpenData, accessTokens.getObject(),
							sessionKeys.getObject())
					: factory.create(app));
		}
		WeChatMiniAppProperties.RuntimeApps runtime = properties.getRuntimeApps();
		return new MiniApps(apps, credentials, factory::create, runtime.getMaximumSize(),
				runtime.getUnknownTimeToLive());
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnDefaultMiniAppCondition.class)
	OpenDataService openDataService(MiniAppServicesFactory factory, WeChatMiniAppClient client,
			SessionKeyRepository sessionKeys, AccessTokenProvider accessTokens) {
		return factory.openData(client, sessionKeys, accessTokens);
	}

}
