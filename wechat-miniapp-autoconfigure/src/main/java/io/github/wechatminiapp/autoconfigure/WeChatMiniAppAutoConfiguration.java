package io.github.wechatminiapp.autoconfigure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.github.wechatminiapp.apps.InMemoryMiniAppCredentialsRepository;
import io.github.wechatminiapp.apps.MiniApp;
import io.github.wechatminiapp.apps.MiniAppCredentials;
import io.github.wechatminiapp.apps.MiniAppCredentialsRepository;
import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.client.ApiSecurityRejectionListener;
import io.github.wechatminiapp.client.RedactingClientRequestObservationConvention;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.opendata.FailureBudgetListener;
import io.github.wechatminiapp.opendata.OpenDataRejectionListener;
import io.github.wechatminiapp.opendata.OpenDataService;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.session.SessionKeyResetListener;
import io.github.wechatminiapp.token.AccessTokenFetchListener;
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
 * Auto-configuration of {@link MiniApps}, the services of every app a
 * {@link MiniAppCredentialsRepository} knows (by default the
 * {@link InMemoryMiniAppCredentialsRepository} of the {@code wechat.miniapp.*}
 * properties), and, when the properties configure exactly one app, of that app's client,
 * session keys, access token, {@link PhoneNumberService} and {@link OpenDataService} as
 * beans of their own. Every app's services are built by {@link MiniAppServicesFactory}.
 * Without any app, startup fails, explained by
 * {@link NoMiniAppConfiguredFailureAnalyzer}.
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
			ObjectProvider<FailureBudgetListener> failureBudgetListener, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<AccessTokenFetchListener> accessTokenFetchListener,
			ObjectProvider<ApiSecurityRejectionListener> apiSecurityRejections,
			ObjectProvider<SessionKeyResetListener> sessionKeyResetListeners) {
		// One HTTP client for every app; each app's client is a view over it with that
		// app's credentials.
		// Without our HTTP resources the user defined the client, and other apps' clients
		// are views over theirs.
		SingletonSupplier<BiFunction<String, String, WeChatMiniAppClient>> clients = SingletonSupplier.of(() -> {
			WeChatMiniAppHttpResources resources = http.getIfAvailable();
			if (resources == null) {
				return userClient.getObject()::withCredentials;
			}
			WeChatMiniAppClient shared = sharedClient(properties, resources, customizers, observationRegistry);
			return shared::withCredentials;
		});
		MiniAppServicesFactory factory = new MiniAppServicesFactory(properties,
				(appId, appSecret) -> clients.obtain().apply(appId, appSecret), redisStores::getIfAvailable,
				() -> rejectionListener.getIfAvailable(() -> OpenDataRejectionListener.NONE),
				() -> allOf(failureBudgetListener.orderedStream().toList()),
				// The application's mapper, so its modules bind the application's own
				// payload types.
				() -> jsonMapper.getIfUnique(() -> JsonMapper.builder().build()), Clock.systemUTC());
		factory.setAccessTokenFetchListener(
				() -> accessTokenFetchListener.getIfAvailable(() -> AccessTokenFetchListener.NONE));
		factory
			.apiSecurityRejections(() -> apiSecurityRejections.getIfAvailable(() -> ApiSecurityRejectionListener.NONE));
		factory.setSessionKeyResetListener(() -> allResetListeners(sessionKeyResetListeners.orderedStream().toList()));
		return factory;
	}

	/**
	 * Every listener is told, in order: with Spring Security, the revocation of the
	 * user's tokens, and the application's own.
	 * @param listeners the reset listeners, in the order they are told
	 * @return one listener telling them all
	 */
	private static SessionKeyResetListener allResetListeners(List<SessionKeyResetListener> listeners) {
		return (appId, openid) -> listeners.forEach((listener) -> listener.reset(appId, openid));
	}

	/**
	 * Every listener is told: the metrics and, with Spring Security, the revocation of
	 * the user's tokens.
	 * @param listeners the failure budget listeners
	 * @return one listener telling them all
	 */
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

	private static WeChatMiniAppClient sharedClient(WeChatMiniAppProperties properties, WeChatMiniAppHttpResources http,
			ObjectProvider<WeChatMiniAppRestClientCustomizer> customizers,
			ObjectProvider<ObservationRegistry> observationRegistry) {
		// Not the context's RestClient.Builder: the application's customizers (request
		// logging, say) would see
		// the app secret and access tokens WeChat takes in query strings. Only
		// observations are taken over, with
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

	// The single-app beans: they exist exactly when the properties configure one app, and
	// are that app's services
	// in MiniApps. Each may be replaced by a bean of the application.

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnMiniAppPropertiesCondition.OneApp.class)
	WeChatMiniAppClient weChatMiniAppClient(MiniAppServicesFactory factory) {
		return factory.client(factory.singleApp());
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnMiniAppPropertiesCondition.OneApp.class)
	SessionKeyRepository sessionKeyRepository(MiniAppServicesFactory factory) {
		return factory.sessionKeys(factory.singleApp().appId());
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnMiniAppPropertiesCondition.OneApp.class)
	AccessTokenStore weChatAccessTokenStore(MiniAppServicesFactory factory) {
		return factory.accessTokenStore(factory.singleApp().appId());
	}

	@Bean
	@ConditionalOnMissingBean(AccessTokenProvider.class)
	@Conditional(OnMiniAppPropertiesCondition.OneApp.class)
	CachingAccessTokenProvider weChatAccessTokenProvider(MiniAppServicesFactory factory, WeChatMiniAppClient client,
			AccessTokenStore store) {
		return factory.accessTokens(client, store);
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnMiniAppPropertiesCondition.OneApp.class)
	PhoneNumberService phoneNumberService(MiniAppServicesFactory factory, WeChatMiniAppClient client,
			SessionKeyRepository sessionKeys, AccessTokenProvider accessTokens) {
		return factory.phoneNumbers(client, sessionKeys, accessTokens);
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnMiniAppPropertiesCondition.OneApp.class)
	OpenDataService openDataService(MiniAppServicesFactory factory, SessionKeyRepository sessionKeys) {
		return factory.openData(factory.singleApp().appId(), sessionKeys);
	}

	@Bean
	@ConditionalOnMissingBean(MiniAppCredentialsRepository.class)
	@Conditional(OnMiniAppPropertiesCondition.AnyApp.class)
	InMemoryMiniAppCredentialsRepository miniAppCredentialsRepository(WeChatMiniAppProperties properties) {
		return new InMemoryMiniAppCredentialsRepository(properties.credentials());
	}

	@Bean
	@ConditionalOnMissingBean
	MiniApps miniApps(MiniAppServicesFactory factory, WeChatMiniAppProperties properties,
			ObjectProvider<MiniAppCredentialsRepository> repository, ObjectProvider<WeChatMiniAppClient> clients,
			ObjectProvider<PhoneNumberService> phoneNumbers, ObjectProvider<OpenDataService> openData,
			ObjectProvider<AccessTokenProvider> accessTokens, ObjectProvider<SessionKeyRepository> sessionKeys) {
		// Several repositories and no primary one: Spring's own error names them.
		MiniAppCredentialsRepository credentials = repository.getIfAvailable();
		if (credentials == null) {
			throw new NoMiniAppConfiguredException();
		}
		// With one app in the properties, its MiniApp is made of the single-app beans,
		// which the application may
		// have replaced one by one: one set of keys and one token, however the app is
		// reached.
		MiniApp single = singleApp(factory, properties, clients, phoneNumbers, openData, accessTokens, sessionKeys);
		Function<MiniAppCredentials, MiniApp> apps = (app) -> (single != null && single.appId().equals(app.appId()))
				? single : factory.create(app);
		List<MiniApp> listed = new ArrayList<>();
		if (credentials instanceof Iterable<?> iterable) {
			for (Object app : iterable) {
				listed.add(apps.apply((MiniAppCredentials) app));
			}
		}
		if (single != null && listed.stream().noneMatch((app) -> app == single)) {
			if (credentials.findByAppId(single.appId()).isEmpty()) {
				throw new IllegalStateException(
						"The app of wechat.miniapp.* (" + single.appId() + ") is unknown to the "
								+ "MiniAppCredentialsRepository bean: compose it with the properties' apps, "
								+ "new CompositeMiniAppCredentialsRepository(new InMemoryMiniAppCredentialsRepository("
								+ "properties.credentials()), yours)");
			}
			listed.add(single);
		}
		WeChatMiniAppProperties.RuntimeApps runtime = properties.getRuntimeApps();
		return new MiniApps(listed, credentials, apps, runtime.getMaximumSize(), runtime.getUnknownTimeToLive());
	}

	private static MiniApp singleApp(MiniAppServicesFactory factory, WeChatMiniAppProperties properties,
			ObjectProvider<WeChatMiniAppClient> clients, ObjectProvider<PhoneNumberService> phoneNumbers,
			ObjectProvider<OpenDataService> openData, ObjectProvider<AccessTokenProvider> accessTokens,
			ObjectProvider<SessionKeyRepository> sessionKeys) {
		if (properties.credentials().size() != 1) {
			return null;
		}
		WeChatMiniAppClient client = clients.getIfUnique();
		PhoneNumberService phone = phoneNumbers.getIfUnique();
		OpenDataService data = openData.getIfUnique();
		AccessTokenProvider tokens = accessTokens.getIfUnique();
		SessionKeyRepository keys = sessionKeys.getIfUnique();
		if (client == null || phone == null || data == null || tokens == null || keys == null) {
			return null;
		}
		return new MiniApp(factory.singleApp().appId(), client, phone, data, tokens, keys);
	}

}
