package io.github.wechatminiapp.autoconfigure;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import io.github.wechatminiapp.apps.MiniApp;
import io.github.wechatminiapp.apps.MiniAppCredentials;
import io.github.wechatminiapp.client.ApiSecurityRejectionListener;
import io.github.wechatminiapp.client.WeChatApiSecurity;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.crypto.AtRestCipher;
import io.github.wechatminiapp.opendata.FailureBudgetListener;
import io.github.wechatminiapp.opendata.OpenDataRejectionListener;
import io.github.wechatminiapp.opendata.OpenDataService;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.RedisSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.session.SessionKeyResetListener;
import io.github.wechatminiapp.token.AccessTokenFetchListener;
import io.github.wechatminiapp.token.AccessTokenProvider;
import io.github.wechatminiapp.token.AccessTokenStore;
import io.github.wechatminiapp.token.CachingAccessTokenProvider;
import io.github.wechatminiapp.token.InMemoryAccessTokenStore;
import io.github.wechatminiapp.token.RedisAccessTokenStore;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * The one place where an app's services are built from the properties: its client (a view
 * with the app's credentials over the one shared HTTP client), its session keys and
 * access token store (namespaced by app id), its token provider and its
 * {@link PhoneNumberService}, told of session key resets. The single-app beans and
 * {@code MiniApps} both build through it, so a new setting or constructor parameter is
 * wired here once. The store of every app is {@code wechat.miniapp.store}.
 */
final class MiniAppServicesFactory {

	private final WeChatMiniAppProperties properties;

	private final BiFunction<String, String, WeChatMiniAppClient> clients;

	private final Supplier<RedisStores> redis;

	private final Supplier<OpenDataRejectionListener> rejectionListener;

	private final Supplier<FailureBudgetListener> failureBudgetListener;

	private final Supplier<JsonMapper> jsonMapper;

	private final Clock clock;

	private final Map<String, WeChatMiniAppProperties.App> configuredApps = new HashMap<>();

	private Supplier<AccessTokenFetchListener> accessTokenFetchListener = () -> AccessTokenFetchListener.NONE;

	private Supplier<ApiSecurityRejectionListener> apiSecurityRejections = () -> ApiSecurityRejectionListener.NONE;

	private Supplier<SessionKeyResetListener> sessionKeyResetListener = () -> SessionKeyResetListener.NONE;

	/**
	 * Creates the factory; nothing is built until an app is asked for.
	 * @param properties the settings
	 * @param clients makes a client for an app id and secret over the shared HTTP client
	 * @param redis the Redis stores, or a supplier of {@code null} without Redis
	 * @param rejectionListener told of rejected open data, bound to each app
	 * @param failureBudgetListener told of each exhausted decryption failure budget
	 * @param jsonMapper binds open data into the application's types
	 * @param clock the clock of tokens and watermarks
	 */
	MiniAppServicesFactory(WeChatMiniAppProperties properties, BiFunction<String, String, WeChatMiniAppClient> clients,
			Supplier<RedisStores> redis, Supplier<OpenDataRejectionListener> rejectionListener,
			Supplier<FailureBudgetListener> failureBudgetListener, Supplier<JsonMapper> jsonMapper, Clock clock) {
		this.properties = properties;
		this.clients = clients;
		this.redis = SingletonSupplier.of(redis);
		this.rejectionListener = SingletonSupplier.of(rejectionListener);
		this.failureBudgetListener = SingletonSupplier.of(failureBudgetListener);
		this.jsonMapper = SingletonSupplier.of(jsonMapper);
		this.clock = clock;
		properties.getApps().values().forEach((app) -> this.configuredApps.put(app.getAppId(), app));
	}

	/**
	 * The one app of the properties, which the single-app beans serve.
	 * @return the credentials of that app
	 * @throws IllegalStateException unless the properties configure exactly one app
	 */
	MiniAppCredentials singleApp() {
		List<MiniAppCredentials> apps = this.properties.credentials();
		Assert.state(apps.size() == 1, () -> apps.size() + " apps configured, not one");
		return apps.get(0);
	}

	/**
	 * All services of one app, with its own settings when the properties name it.
	 * @param credentials the app's id, secret and API security keys
	 * @return the app's client, session keys, access tokens, phone numbers and open data
	 */
	MiniApp create(MiniAppCredentials credentials) {
		WeChatMiniAppClient client = client(credentials);
		SessionKeyRepository sessionKeys = sessionKeys(credentials.appId());
		CachingAccessTokenProvider accessTokens = accessTokens(client, accessTokenStore(credentials.appId()));
		return new MiniApp(credentials.appId(), client, phoneNumbers(client, sessionKeys, accessTokens),
				openData(credentials.appId(), sessionKeys), accessTokens, sessionKeys);
	}

	WeChatMiniAppClient client(MiniAppCredentials credentials) {
		WeChatMiniAppClient client = this.clients.apply(credentials.appId(), credentials.appSecret());
		MiniAppCredentials.ApiSecurity apiSecurity = (credentials.apiSecurity() != null) ? credentials.apiSecurity()
				: configuredApiSecurity(credentials.appId());
		return (apiSecurity != null) ? client.withApiSecurity(weChatApiSecurity(credentials.appId(), apiSecurity))
				: client;
	}

	/**
	 * Told of each answer the API security check refuses; set by the auto-configuration.
	 * @param listener supplies the listener, looked up once on first use
	 */
	void apiSecurityRejections(Supplier<ApiSecurityRejectionListener> listener) {
		this.apiSecurityRejections = SingletonSupplier.of(listener);
	}

	private MiniAppCredentials.ApiSecurity configuredApiSecurity(String appId) {
		if (appId.equals(this.properties.getAppId())) {
			return ApiSecuritySettings.read("wechat.miniapp.api-security.", this.properties.getApiSecurity());
		}
		for (Map.Entry<String, WeChatMiniAppProperties.App> app : this.properties.getApps().entrySet()) {
			if (appId.equals(app.getValue().getAppId())) {
				return ApiSecuritySettings.read("wechat.miniapp.apps." + app.getKey() + ".api-security.",
						app.getValue().getApiSecurity());
			}
		}
		return null;
	}

	private WeChatApiSecurity weChatApiSecurity(String appId, MiniAppCredentials.ApiSecurity keys) {
		Map<String, PublicKey> platformKeys = new HashMap<>();
		keys.platformCertificates().forEach((sn, certificate) -> platformKeys.put(sn, certificate.getPublicKey()));
		return new WeChatApiSecurity(this.properties.getApiBaseUrl(), appId,
				Base64.getDecoder().decode(keys.symmetricKey()), keys.symmetricKeySn(), keys.privateKey(), platformKeys,
				keys.replayWindow(), this.clock, this.apiSecurityRejections.get());
	}

	SessionKeyRepository sessionKeys(String appId) {
		return switch (this.properties.getStore()) {
			case MEMORY -> caffeineSessionKeys(appId);
			case REDIS -> redisSessionKeys(appId);
		};
	}

	CaffeineSessionKeyRepository caffeineSessionKeys(String appId) {
		WeChatMiniAppProperties.Session session = this.properties.getSession();
		WeChatMiniAppProperties.AppSession own = appSettings(appId).map(WeChatMiniAppProperties.App::getSession)
			.orElse(null);
		long maximumSize = (own != null && own.getMaximumSize() != null) ? own.getMaximumSize()
				: session.getMaximumSize();
		return new CaffeineSessionKeyRepository(timeToLive(appId), maximumSize, previousKeyTimeToLive(appId));
	}

	RedisSessionKeyRepository redisSessionKeys(String appId) {
		return redis().sessionKeys(appId, timeToLive(appId), previousKeyTimeToLive(appId));
	}

	AccessTokenStore accessTokenStore(String appId) {
		return switch (this.properties.getStore()) {
			case MEMORY -> memoryAccessTokenStore();
			case REDIS -> redisAccessTokenStore(appId);
		};
	}

	InMemoryAccessTokenStore memoryAccessTokenStore() {
		return new InMemoryAccessTokenStore();
	}

	RedisAccessTokenStore redisAccessTokenStore(String appId) {
		return redis().accessTokenStore(appId);
	}

	CachingAccessTokenProvider accessTokens(WeChatMiniAppClient client, AccessTokenStore store) {
		WeChatMiniAppProperties.AccessToken accessToken = this.properties.getAccessToken();
		CachingAccessTokenProvider provider = new CachingAccessTokenProvider(client, store);
		provider.setStableToken(accessToken.isStable());
		provider.setRefreshBefore(accessToken.getRefreshBefore());
		provider.setLockWait(accessToken.getLockWait());
		provider.setLockLease(CachingAccessTokenProvider.lockLease(this.properties.getHttp().getConnectTimeout(),
				this.properties.getHttp().getReadTimeout(),
				WeChatMiniAppAutoConfiguration.retrySettings(this.properties.getRetry())));
		provider.setForcedRefreshesPerDay(accessToken.getForcedRefreshesPerDay());
		provider.setFailureBackoff(accessToken.getFailureBackoff(), accessToken.getMaxFailureBackoff());
		provider.setRefusalBackoff(accessToken.getRefusalBackoff());
		provider.setFetchListener(this.accessTokenFetchListener.get());
		provider.setClock(this.clock);
		return provider;
	}

	/**
	 * Tells every token provider built from now on of its failed fetches (the metrics,
	 * where Micrometer is).
	 * @param listener the listener, looked up when the first provider is built
	 */
	void setAccessTokenFetchListener(Supplier<AccessTokenFetchListener> listener) {
		this.accessTokenFetchListener = SingletonSupplier.of(listener);
	}

	/**
	 * Tells every {@link PhoneNumberService} built from now on of its session key resets
	 * (the revocation of the user's bearer tokens, with Spring Security).
	 * @param listener the listener, looked up when the first service is built
	 */
	void setSessionKeyResetListener(Supplier<SessionKeyResetListener> listener) {
		this.sessionKeyResetListener = SingletonSupplier.of(listener);
	}

	PhoneNumberService phoneNumbers(WeChatMiniAppClient client, SessionKeyRepository sessionKeys,
			AccessTokenProvider accessTokens) {
		String appId = (client.appId() != null) ? client.appId() : "";
		PhoneNumberService service = new PhoneNumberService(client, sessionKeys, accessTokens);
		service.setWatermarkMaxAge(watermarkMaxAge(appId));
		service.setClock(this.clock);
		service.setRejectionListener(this.rejectionListener.get().forApp(appId));
		service.setFailureBudget(this.properties.getSession().getDecryptionFailureBudget());
		service.setFailureBudgetListener(this.failureBudgetListener.get());
		service.setSessionKeyResetListener(this.sessionKeyResetListener.get());
		return service;
	}

	OpenDataService openData(String appId, SessionKeyRepository sessionKeys) {
		OpenDataService service = new OpenDataService(appId, sessionKeys);
		service.setWatermarkMaxAge(watermarkMaxAge(appId));
		service.setClock(this.clock);
		service.setRejectionListener(this.rejectionListener.get().forApp(appId));
		service.setFailureBudget(this.properties.getSession().getDecryptionFailureBudget());
		service.setFailureBudgetListener(this.failureBudgetListener.get());
		service.setJsonMapper(this.jsonMapper.get());
		return service;
	}

	private Duration watermarkMaxAge(String appId) {
		return appSettings(appId).map((app) -> app.getWatermark().getMaxAge())
			.orElse(this.properties.getWatermark().getMaxAge());
	}

	private Duration timeToLive(String appId) {
		return appSettings(appId).map((app) -> app.getSession().getTimeToLive())
			.orElse(this.properties.getSession().getTimeToLive());
	}

	private Duration previousKeyTimeToLive(String appId) {
		return appSettings(appId).map((app) -> app.getSession().getPreviousKeyTimeToLive())
			.orElse(this.properties.getSession().getPreviousKeyTimeToLive());
	}

	private Optional<WeChatMiniAppProperties.App> appSettings(String appId) {
		return Optional.ofNullable(this.configuredApps.get(appId));
	}

	private RedisStores redis() {
		RedisStores stores = this.redis.get();
		if (stores == null) {
			// Asked for explicitly: falling back to memory would lose keys between
			// instances without a word.
			throw new RedisStoreUnavailableException();
		}
		return stores;
	}

	/**
	 * The Redis stores of every app, on one template: each app's keys begin with the
	 * prefix and its app id. Loaded only where Spring Data Redis is.
	 */
	static final class RedisStores {

		private final StringRedisTemplate redis;

		private final String keyPrefix;

		private final Supplier<AtRestCipher> encryption;

		RedisStores(StringRedisTemplate redis, String keyPrefix, String encryptionKey) {
			this.redis = redis;
			this.keyPrefix = keyPrefix;
			// Checked when the first Redis store of an app is built; one key encrypts
			// session keys and access tokens.
			this.encryption = SingletonSupplier.ofNullable(
					() -> (encryptionKey != null && !encryptionKey.isBlank()) ? new AtRestCipher(encryptionKey) : null);
		}

		RedisSessionKeyRepository sessionKeys(String appId, Duration timeToLive, Duration previousKeyTimeToLive) {
			RedisSessionKeyRepository repository = new RedisSessionKeyRepository(this.redis, appId);
			repository.setKeyPrefix(this.keyPrefix);
			repository.setTimeToLive(timeToLive);
			repository.setPreviousKeyTimeToLive(previousKeyTimeToLive);
			repository.setEncryption(this.encryption.get());
			return repository;
		}

		RedisAccessTokenStore accessTokenStore(String appId) {
			RedisAccessTokenStore store = new RedisAccessTokenStore(this.redis, appId);
			store.setKeyPrefix(this.keyPrefix);
			store.setEncryption(this.encryption.get());
			return store;
		}

	}

}
