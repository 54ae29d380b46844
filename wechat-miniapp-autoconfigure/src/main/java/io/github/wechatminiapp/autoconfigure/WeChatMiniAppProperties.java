package io.github.wechatminiapp.autoconfigure;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.apps.MiniAppCredentials;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.io.Resource;

/**
 * Configuration of the WeChat Mini Program starter.
 */
@ConfigurationProperties("wechat.miniapp")
public class WeChatMiniAppProperties implements InitializingBean {

	private static final Log logger = LogFactory.getLog(WeChatMiniAppProperties.class);

	private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");

	/** WeChat's own daily limit of forced stable_token refreshes. */
	private static final int MAX_FORCED_REFRESHES_PER_DAY = 20;

	/**
	 * Whether to enable the WeChat Mini Program starter.
	 */
	private boolean enabled = true;

	/**
	 * App id of the mini program: "wx" and 16 hexadecimal digits, as shown in the WeChat
	 * admin console.
	 */
	private String appId;

	/**
	 * App secret of the mini program: 32 characters. Never logged or shown.
	 */
	private String appSecret;

	/**
	 * Base URL of the WeChat server API. Must be https, unless its host is a loopback
	 * address (127.0.0.0/8, ::1, localhost), as for WeChatSandbox in tests: requests
	 * carry the app secret and access tokens.
	 */
	private String apiBaseUrl = "https://api.weixin.qq.com";

	/**
	 * Store of every kind of state the starter keeps: session keys, access tokens, bearer
	 * tokens, failure budgets and counters. "memory" keeps them in this JVM, "redis"
	 * shares them among every instance (needs Spring Data Redis and a
	 * RedisConnectionFactory). Defaults to memory.
	 */
	private StoreType store;

	private final Http http = new Http();

	private final Retry retry = new Retry();

	private final AccessToken accessToken = new AccessToken();

	private final Session session = new Session();

	private final Watermark watermark = new Watermark();

	private final Redis redis = new Redis();

	/**
	 * Mini programs this backend serves, by a name of your choice, each with its app id
	 * and secret and optionally its own watermark and session settings; beside or instead
	 * of app-id. Served through the MiniApps bean.
	 */
	private final Map<String, App> apps = new LinkedHashMap<>();

	private final RuntimeApps runtimeApps = new RuntimeApps();

	/**
	 * WeChat's API security mode of the app of wechat.miniapp.app-id.
	 */
	private final ApiSecurity apiSecurity = new ApiSecurity();

	@Override
	public void afterPropertiesSet() {
		if (!this.enabled) {
			return;
		}
		// No app at all is allowed here: a MiniAppCredentialsRepository bean may name the
		// apps; without one, the
		// auto-configuration fails startup through its failure analyzer, naming app-id.
		credentials();
		if (this.session.getDecryptionFailureBudget() < 1) {
			throw new InvalidConfigurationPropertyValueException("wechat.miniapp.session.decryption-failure-budget",
					this.session.getDecryptionFailureBudget(), "the failure budget must be at least 1");
		}
		checkApiBaseUrl();
		ApiSecuritySettings.check(this);
		int forcedRefreshes = this.accessToken.getForcedRefreshesPerDay();
		if (forcedRefreshes < 0 || forcedRefreshes > MAX_FORCED_REFRESHES_PER_DAY) {
			throw new InvalidConfigurationPropertyValueException("wechat.miniapp.access-token.forced-refreshes-per-day",
					forcedRefreshes, "WeChat allows 0 to " + MAX_FORCED_REFRESHES_PER_DAY + " forced refreshes a day");
		}
		warnOfDeprecatedAliases();
	}

	/**
	 * The apps these properties configure: {@code app-id} first, then each of
	 * {@code apps.*}; what the auto-configured
	 * {@code InMemoryMiniAppCredentialsRepository} holds, and what an application
	 * composing its own repository with the properties passes to one.
	 * @return the apps, possibly none
	 * @throws InvalidConfigurationPropertyValueException naming the property of a
	 * malformed, missing or repeated app id or secret (never showing the secret)
	 */
	public List<MiniAppCredentials> credentials() {
		List<MiniAppCredentials> credentials = new ArrayList<>();
		Set<String> appIds = new HashSet<>();
		if (hasText(this.appId) || hasText(this.appSecret)) {
			credentials.add(credentials("wechat.miniapp.", this.appId, this.appSecret));
			appIds.add(this.appId);
		}
		this.apps.forEach((name, app) -> {
			String prefix = "wechat.miniapp.apps." + name + ".";
			credentials.add(credentials(prefix, app.getAppId(), app.getAppSecret()));
			if (!appIds.add(app.getAppId())) {
				throw new InvalidConfigurationPropertyValueException(prefix + "app-id", app.getAppId(),
						"the app id is configured twice");
			}
		});
		return Collections.unmodifiableList(credentials);
	}

	/**
	 * The rules are MiniAppCredentials'; only the property they concern is named here.
	 * @param prefix the prefix of the properties read, {@code wechat.miniapp.} or an
	 * app's own under {@code apps}
	 * @param appId the configured app id
	 * @param appSecret the configured app secret
	 * @return the app's credentials
	 */
	private static MiniAppCredentials credentials(String prefix, String appId, String appSecret) {
		if (!hasText(appId)) {
			throw new InvalidConfigurationPropertyValueException(prefix + "app-id", appId,
					prefix + "app-id is required: the mini program's app id (wx followed by 16 hex digits)");
		}
		if (!MiniAppCredentials.isAppId(appId)) {
			throw new InvalidConfigurationPropertyValueException(prefix + "app-id", appId,
					"an app id is wx followed by 16 hexadecimal digits");
		}
		if (!hasText(appSecret)) {
			throw new InvalidConfigurationPropertyValueException(prefix + "app-secret", null,
					prefix + "app-secret is required: the mini program's app secret (32 characters)");
		}
		try {
			return new MiniAppCredentials(appId, appSecret);
		}
		catch (InvalidInputException ex) {
			// The value is a secret, even when malformed: it is not repeated in the
			// message.
			throw new InvalidConfigurationPropertyValueException(prefix + "app-secret", "******", ex.getMessage());
		}
	}

	/** Once per context: the properties are bound once. */
	@SuppressWarnings("deprecation")
	private void warnOfDeprecatedAliases() {
		if (this.session.getStore() != null) {
			logger.warn("wechat.miniapp.session.store is deprecated: set wechat.miniapp.store"
					+ ((this.store != null) ? " (which is set, and wins)" : " instead"));
		}
		if (this.accessToken.getStore() != null) {
			logger.warn("wechat.miniapp.access-token.store is deprecated: set wechat.miniapp.store"
					+ ((this.store != null) ? " (which is set, and wins)" : " instead"));
		}
		if (this.session.getRedis().getEncryptionKey() != null) {
			logger.warn("wechat.miniapp.session.redis.encryption-key is deprecated: set "
					+ "wechat.miniapp.redis.encryption-key"
					+ ((this.redis.getEncryptionKey() != null) ? " (which is set, and wins)" : " instead"));
		}
	}

	/**
	 * The secret and access tokens travel in the requests: in clear only to this machine.
	 */
	private void checkApiBaseUrl() {
		URI uri;
		try {
			uri = new URI(this.apiBaseUrl);
		}
		catch (URISyntaxException | NullPointerException ex) {
			throw new InvalidConfigurationPropertyValueException("wechat.miniapp.api-base-url", this.apiBaseUrl,
					"not a URL");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : null;
		if (uri.getHost() == null || !("https".equals(scheme) || "http".equals(scheme))) {
			throw new InvalidConfigurationPropertyValueException("wechat.miniapp.api-base-url", this.apiBaseUrl,
					"must be an https URL with a host");
		}
		if ("http".equals(scheme) && !isLoopback(uri.getHost())) {
			throw new InvalidConfigurationPropertyValueException("wechat.miniapp.api-base-url", this.apiBaseUrl,
					"must be https: requests carry the app secret and access tokens (http is allowed for a "
							+ "loopback host only)");
		}
	}

	private static boolean isLoopback(String host) {
		String name = host.toLowerCase(Locale.ROOT);
		if (name.equals("localhost")) {
			return true;
		}
		// Literal addresses only: no other name is resolved, so DNS cannot make a host
		// look like loopback.
		if (IPV4.matcher(name).matches()) {
			// java.net.URI only takes a dotted quad as the host when every part is at
			// most 255.
			return name.startsWith("127.");
		}
		if (name.startsWith("[") && name.endsWith("]") && name.indexOf(':') >= 0) {
			try {
				// An IPv6 literal (it has a colon) is parsed, never looked up.
				return InetAddress.getByName(name.substring(1, name.length() - 1)).isLoopbackAddress();
			}
			catch (java.net.UnknownHostException ex) {
				return false;
			}
		}
		return false;
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getAppId() {
		return this.appId;
	}

	public void setAppId(String appId) {
		this.appId = appId;
	}

	public String getAppSecret() {
		return this.appSecret;
	}

	public void setAppSecret(String appSecret) {
		this.appSecret = appSecret;
	}

	public String getApiBaseUrl() {
		return this.apiBaseUrl;
	}

	public void setApiBaseUrl(String apiBaseUrl) {
		this.apiBaseUrl = apiBaseUrl;
	}

	/**
	 * The store of every kind of state: {@code wechat.miniapp.store}, else its deprecated
	 * aliases {@code session.store} and {@code access-token.store}, else memory.
	 * @return the store
	 */
	@SuppressWarnings("deprecation")
	public StoreType getStore() {
		if (this.store != null) {
			return this.store;
		}
		if (this.session.getStore() != null) {
			return (this.session.getStore() == SessionStoreType.REDIS) ? StoreType.REDIS : StoreType.MEMORY;
		}
		return (this.accessToken.getStore() != null) ? this.accessToken.getStore() : StoreType.MEMORY;
	}

	public void setStore(StoreType store) {
		this.store = store;
	}

	/**
	 * The key encrypting the Redis stores: {@code redis.encryption-key}, else its
	 * deprecated alias.
	 * @return the configured encryption key, or {@code null} when neither property is set
	 */
	@SuppressWarnings("deprecation")
	String redisEncryptionKey() {
		return (this.redis.getEncryptionKey() != null) ? this.redis.getEncryptionKey()
				: this.session.getRedis().getEncryptionKey();
	}

	public Http getHttp() {
		return this.http;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public AccessToken getAccessToken() {
		return this.accessToken;
	}

	public Session getSession() {
		return this.session;
	}

	public Watermark getWatermark() {
		return this.watermark;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Map<String, App> getApps() {
		return this.apps;
	}

	public ApiSecurity getApiSecurity() {
		return this.apiSecurity;
	}

	public RuntimeApps getRuntimeApps() {
		return this.runtimeApps;
	}

	@Override
	public String toString() {
		return "WeChatMiniAppProperties[enabled=" + this.enabled + ", appId=" + this.appId + ", appSecret="
				+ ((this.appSecret != null) ? "******" : null) + ", apiBaseUrl=" + this.apiBaseUrl + "]";
	}

	/**
	 * HTTP settings of the calls to WeChat.
	 */
	public static class Http {

		/**
		 * Timeout for opening a connection to WeChat.
		 */
		private Duration connectTimeout = Duration.ofSeconds(2);

		/**
		 * Timeout for WeChat's answer to a request.
		 */
		private Duration readTimeout = Duration.ofSeconds(5);

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

	}

	/**
	 * Retries of WeChat's "system busy" (-1) answers. A login code is never sent twice.
	 */
	public static class Retry {

		/**
		 * Attempts in all for a call WeChat answers with "system busy"; 1 turns retries
		 * off.
		 */
		private int maxAttempts = 3;

		/**
		 * Delay before the first retry.
		 */
		private Duration initialBackoff = Duration.ofMillis(200);

		/**
		 * Longest delay between two attempts.
		 */
		private Duration maxBackoff = Duration.ofSeconds(2);

		/**
		 * Factor by which the delay grows after each retry.
		 */
		private double multiplier = 2.0;

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

	}

	/**
	 * The app's access token.
	 */
	public static class AccessToken {

		/**
		 * Whether to fetch the token from /cgi-bin/stable_token, which hands every
		 * instance the same token, rather than /cgi-bin/token, where each fetch
		 * invalidates the others' token.
		 */
		private boolean stable = true;

		/**
		 * How long before the token expires a new one is fetched.
		 */
		private Duration refreshBefore = Duration.ofMinutes(5);

		/**
		 * Store for the access token: "memory" keeps it in this JVM, "redis" shares one
		 * token among every instance. Deprecated: wechat.miniapp.store chooses the store
		 * of everything.
		 */
		private StoreType store;

		/**
		 * How long an instance that finds no valid token waits for another instance's
		 * refresh before fetching a token itself.
		 */
		private Duration lockWait = Duration.ofSeconds(5);

		/**
		 * Most forced refreshes (force_refresh=true) of the stable token a day for the
		 * app, across every instance sharing the token store; at most one is forced every
		 * 30 seconds. A forced refresh is made only when WeChat rejects the token it
		 * keeps handing out. WeChat allows 20 a day; the rest are kept for emergencies (a
		 * leaked token).
		 */
		private int forcedRefreshesPerDay = 10;

		/**
		 * How long after a failed fetch (a timeout, an I/O error, WeChat busy) no token
		 * is requested again; calls that need a token meanwhile fail at once with 503 and
		 * Retry-After. Doubles with each failure in a row, up to max-failure-backoff.
		 */
		private Duration failureBackoff = Duration.ofSeconds(1);

		/**
		 * The longest backoff after failed fetches in a row.
		 */
		private Duration maxFailureBackoff = Duration.ofMinutes(1);

		/**
		 * How long after WeChat refuses this server's configuration (a wrong app id or
		 * secret, an IP outside the allow list: errcodes 40001, 40013, 40125, 40164,
		 * 40243, 61024, 89501, 89503, 89506, 89507) no token is requested again.
		 */
		private Duration refusalBackoff = Duration.ofMinutes(10);

		public Duration getFailureBackoff() {
			return this.failureBackoff;
		}

		public void setFailureBackoff(Duration failureBackoff) {
			this.failureBackoff = failureBackoff;
		}

		public Duration getMaxFailureBackoff() {
			return this.maxFailureBackoff;
		}

		public void setMaxFailureBackoff(Duration maxFailureBackoff) {
			this.maxFailureBackoff = maxFailureBackoff;
		}

		public Duration getRefusalBackoff() {
			return this.refusalBackoff;
		}

		public void setRefusalBackoff(Duration refusalBackoff) {
			this.refusalBackoff = refusalBackoff;
		}

		public int getForcedRefreshesPerDay() {
			return this.forcedRefreshesPerDay;
		}

		public void setForcedRefreshesPerDay(int forcedRefreshesPerDay) {
			this.forcedRefreshesPerDay = forcedRefreshesPerDay;
		}

		@Deprecated(since = "0.1.0")
		@DeprecatedConfigurationProperty(replacement = "wechat.miniapp.store", since = "0.1.0",
				reason = "One store for every kind of state")
		public StoreType getStore() {
			return this.store;
		}

		@Deprecated(since = "0.1.0")
		public void setStore(StoreType store) {
			this.store = store;
		}

		public Duration getLockWait() {
			return this.lockWait;
		}

		public void setLockWait(Duration lockWait) {
			this.lockWait = lockWait;
		}

		public boolean isStable() {
			return this.stable;
		}

		public void setStable(boolean stable) {
			this.stable = stable;
		}

		public Duration getRefreshBefore() {
			return this.refreshBefore;
		}

		public void setRefreshBefore(Duration refreshBefore) {
			this.refreshBefore = refreshBefore;
		}

	}

	/**
	 * Where users' session keys are kept.
	 */
	public static class Session {

		/**
		 * Store for session keys: "caffeine" keeps them in this JVM, "redis" shares them
		 * among every instance. Deprecated: wechat.miniapp.store chooses the store of
		 * everything.
		 */
		private SessionStoreType store;

		/**
		 * How long a session key is kept after the user's last login. WeChat does not
		 * publish its lifetime.
		 */
		private Duration timeToLive = Duration.ofDays(3);

		/**
		 * Most users whose session keys the in-memory store keeps.
		 */
		private long maximumSize = 100_000;

		/**
		 * How long the key a login replaced is kept as the user's previous session key,
		 * so that data the client encrypted just before the rotation still decrypts; 0
		 * keeps none.
		 */
		private Duration previousKeyTimeToLive = Duration.ofMinutes(5);

		/**
		 * Rejected encryptedData payloads per user (under the current and previous
		 * session keys together) after which the user's session keys are dropped and a
		 * new login is required; a padding-oracle attack needs hundreds. Counted per
		 * session key, in the session store; successes do not reset it.
		 */
		private int decryptionFailureBudget = 5;

		private final SessionRedis redis = new SessionRedis();

		public int getDecryptionFailureBudget() {
			return this.decryptionFailureBudget;
		}

		public void setDecryptionFailureBudget(int decryptionFailureBudget) {
			this.decryptionFailureBudget = decryptionFailureBudget;
		}

		public SessionRedis getRedis() {
			return this.redis;
		}

		public Duration getPreviousKeyTimeToLive() {
			return this.previousKeyTimeToLive;
		}

		public void setPreviousKeyTimeToLive(Duration previousKeyTimeToLive) {
			this.previousKeyTimeToLive = previousKeyTimeToLive;
		}

		@Deprecated(since = "0.1.0")
		@DeprecatedConfigurationProperty(replacement = "wechat.miniapp.store", since = "0.1.0",
				reason = "One store for every kind of state")
		public SessionStoreType getStore() {
			return this.store;
		}

		@Deprecated(since = "0.1.0")
		public void setStore(SessionStoreType store) {
			this.store = store;
		}

		public Duration getTimeToLive() {
			return this.timeToLive;
		}

		public void setTimeToLive(Duration timeToLive) {
			this.timeToLive = timeToLive;
		}

		public long getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(long maximumSize) {
			this.maximumSize = maximumSize;
		}

	}

	/**
	 * Where the starter keeps its state.
	 */
	public enum StoreType {

		/** In this JVM's memory. */
		MEMORY,

		/** In Redis, shared by every instance. */
		REDIS

	}

	/**
	 * Values of the deprecated wechat.miniapp.session.store.
	 *
	 * @deprecated for {@link StoreType}, of wechat.miniapp.store
	 */
	@Deprecated(since = "0.1.0")
	public enum SessionStoreType {

		/** In this JVM's memory, with Caffeine: {@link StoreType#MEMORY}. */
		CAFFEINE,

		/** In Redis: {@link StoreType#REDIS}. */
		REDIS

	}

	/**
	 * Session keys in Redis.
	 */
	public static class SessionRedis {

		/**
		 * AES key (Base64 of 16, 24 or 32 bytes) that encrypts session keys and access
		 * tokens at rest in Redis with AES-GCM. Deprecated:
		 * wechat.miniapp.redis.encryption-key.
		 */
		private String encryptionKey;

		@Deprecated(since = "0.1.0")
		@DeprecatedConfigurationProperty(replacement = "wechat.miniapp.redis.encryption-key", since = "0.1.0",
				reason = "Beside the other Redis settings")
		public String getEncryptionKey() {
			return this.encryptionKey;
		}

		@Deprecated(since = "0.1.0")
		public void setEncryptionKey(String encryptionKey) {
			this.encryptionKey = encryptionKey;
		}

		@Override
		public String toString() {
			return "SessionRedis[encryptionKey=" + ((this.encryptionKey != null) ? "******" : null) + "]";
		}

	}

	/**
	 * The stores on Redis.
	 */
	public static class Redis {

		/**
		 * Prefix of every Redis key the starter writes; the app id follows it.
		 */
		private String keyPrefix = "wechat:miniapp:";

		/**
		 * AES key (Base64 of 16, 24 or 32 bytes) that encrypts session keys and access
		 * tokens at rest in Redis with AES-GCM. Unset, Redis holds them in clear.
		 */
		private String encryptionKey;

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public String getEncryptionKey() {
			return this.encryptionKey;
		}

		public void setEncryptionKey(String encryptionKey) {
			this.encryptionKey = encryptionKey;
		}

		@Override
		public String toString() {
			return "Redis[keyPrefix=" + this.keyPrefix + ", encryptionKey="
					+ ((this.encryptionKey != null) ? "******" : null) + "]";
		}

	}

	/**
	 * Checks of the watermark in decrypted open data.
	 */
	public static class Watermark {

		/**
		 * Oldest encrypted payload accepted, by its watermark timestamp; 0 turns the age
		 * check off. The app id is always checked.
		 */
		private Duration maxAge = Duration.ofMinutes(5);

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	/**
	 * One mini program of wechat.miniapp.apps: its credentials and, where set, its own
	 * settings; unset settings are those of wechat.miniapp.*.
	 */
	public static class App {

		/**
		 * App id of the mini program: "wx" and 16 hexadecimal digits.
		 */
		private String appId;

		/**
		 * App secret of the mini program: 32 characters. Never logged or shown.
		 */
		private String appSecret;

		private final AppWatermark watermark = new AppWatermark();

		private final AppSession session = new AppSession();

		private final ApiSecurity apiSecurity = new ApiSecurity();

		public String getAppId() {
			return this.appId;
		}

		public void setAppId(String appId) {
			this.appId = appId;
		}

		public String getAppSecret() {
			return this.appSecret;
		}

		public void setAppSecret(String appSecret) {
			this.appSecret = appSecret;
		}

		public AppWatermark getWatermark() {
			return this.watermark;
		}

		public AppSession getSession() {
			return this.session;
		}

		public ApiSecurity getApiSecurity() {
			return this.apiSecurity;
		}

		@Override
		public String toString() {
			return "App[appId=" + this.appId + ", appSecret=" + ((this.appSecret != null) ? "******" : null) + "]";
		}

	}

	/**
	 * Watermark checks of one app; unset, those of wechat.miniapp.watermark.
	 */
	public static class AppWatermark {

		/**
		 * Oldest encrypted payload this app accepts; 0 turns the age check off. Unset,
		 * wechat.miniapp.watermark.max-age.
		 */
		private Duration maxAge;

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	/**
	 * Session keys of one app; unset, those of wechat.miniapp.session. The store type is
	 * the same for every app.
	 */
	public static class AppSession {

		/**
		 * How long this app's session keys are kept after the user's last login. Unset,
		 * wechat.miniapp.session.time-to-live.
		 */
		private Duration timeToLive;

		/**
		 * Most users whose session keys the in-memory store keeps for this app. Unset,
		 * wechat.miniapp.session.maximum-size.
		 */
		private Long maximumSize;

		/**
		 * How long this app keeps a replaced session key as the previous one. Unset,
		 * wechat.miniapp.session.previous-key-time-to-live.
		 */
		private Duration previousKeyTimeToLive;

		public Duration getTimeToLive() {
			return this.timeToLive;
		}

		public void setTimeToLive(Duration timeToLive) {
			this.timeToLive = timeToLive;
		}

		public Long getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(Long maximumSize) {
			this.maximumSize = maximumSize;
		}

		public Duration getPreviousKeyTimeToLive() {
			return this.previousKeyTimeToLive;
		}

		public void setPreviousKeyTimeToLive(Duration previousKeyTimeToLive) {
			this.previousKeyTimeToLive = previousKeyTimeToLive;
		}

	}

	/**
	 * Apps found at runtime through a MiniAppCredentialsRepository bean.
	 */
	public static class RuntimeApps {

		/**
		 * Most apps from the repository kept built at once; beyond it the least used are
		 * dropped, with their in-memory session keys and access token, and built again on
		 * next use.
		 */
		private long maximumSize = 10_000;

		/**
		 * How long an app id the repository did not know is answered as unknown without
		 * asking it again.
		 */
		private Duration unknownTimeToLive = Duration.ofSeconds(30);

		public long getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(long maximumSize) {
			this.maximumSize = maximumSize;
		}

		public Duration getUnknownTimeToLive() {
			return this.unknownTimeToLive;
		}

		public void setUnknownTimeToLive(Duration unknownTimeToLive) {
			this.unknownTimeToLive = unknownTimeToLive;
		}

	}

	/**
	 * WeChat's API security mode ("API安全": requests encrypted and signed, answers
	 * verified and decrypted) of one app, with the values its administrator finds under
	 * "开发 - 开发管理 - 开发设置 - API安全".
	 */
	public static class ApiSecurity {

		/**
		 * Whether the app's phone-number exchange uses the API security mode. Turn it on
		 * when the administrator has configured the keys: WeChat then refuses unsigned
		 * calls.
		 */
		private boolean enabled;

		/**
		 * The API symmetric key (API对称密钥): Base64 of 32 bytes. A secret: never logged or
		 * shown.
		 */
		private String symmetricKey;

		/**
		 * The symmetric key's number (密钥编号).
		 */
		private String symmetricKeySn;

		/**
		 * The encryption algorithm chosen on the administration page; only AES256_GCM is
		 * implemented.
		 */
		private SymmetricAlgorithm symmetricAlgorithm = SymmetricAlgorithm.AES256_GCM;

		/**
		 * The signature algorithm chosen on the administration page; only RSAwithSHA256
		 * is implemented.
		 */
		private SignatureAlgorithm signatureAlgorithm = SignatureAlgorithm.RSA_WITH_SHA256;

		/**
		 * The app's private key (应用私钥), a PKCS#8 (or PKCS#1) PEM file:
		 * "file:/run/secrets/wechat-api.pem".
		 */
		private Resource privateKey;

		/**
		 * WeChat's platform certificate (平台证书), an X.509 PEM file.
		 */
		private Resource platformCertificate;

		/**
		 * The platform certificate's number (证书编号) as the administration page shows it,
		 * not the serial inside it.
		 */
		private String platformCertificateSn;

		/**
		 * A second platform certificate, the one WeChat is rotating in; optional.
		 */
		private Resource nextPlatformCertificate;

		/**
		 * The second platform certificate's number.
		 */
		private String nextPlatformCertificateSn;

		/**
		 * How far the timestamp of WeChat's answer may be from now, either way.
		 */
		private Duration replayWindow = Duration.ofMinutes(5);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getSymmetricKey() {
			return this.symmetricKey;
		}

		public void setSymmetricKey(String symmetricKey) {
			this.symmetricKey = symmetricKey;
		}

		public String getSymmetricKeySn() {
			return this.symmetricKeySn;
		}

		public void setSymmetricKeySn(String symmetricKeySn) {
			this.symmetricKeySn = symmetricKeySn;
		}

		public SymmetricAlgorithm getSymmetricAlgorithm() {
			return this.symmetricAlgorithm;
		}

		public void setSymmetricAlgorithm(SymmetricAlgorithm symmetricAlgorithm) {
			this.symmetricAlgorithm = symmetricAlgorithm;
		}

		public SignatureAlgorithm getSignatureAlgorithm() {
			return this.signatureAlgorithm;
		}

		public void setSignatureAlgorithm(SignatureAlgorithm signatureAlgorithm) {
			this.signatureAlgorithm = signatureAlgorithm;
		}

		public Resource getPrivateKey() {
			return this.privateKey;
		}

		public void setPrivateKey(Resource privateKey) {
			this.privateKey = privateKey;
		}

		public Resource getPlatformCertificate() {
			return this.platformCertificate;
		}

		public void setPlatformCertificate(Resource platformCertificate) {
			this.platformCertificate = platformCertificate;
		}

		public String getPlatformCertificateSn() {
			return this.platformCertificateSn;
		}

		public void setPlatformCertificateSn(String platformCertificateSn) {
			this.platformCertificateSn = platformCertificateSn;
		}

		public Resource getNextPlatformCertificate() {
			return this.nextPlatformCertificate;
		}

		public void setNextPlatformCertificate(Resource nextPlatformCertificate) {
			this.nextPlatformCertificate = nextPlatformCertificate;
		}

		public String getNextPlatformCertificateSn() {
			return this.nextPlatformCertificateSn;
		}

		public void setNextPlatformCertificateSn(String nextPlatformCertificateSn) {
			this.nextPlatformCertificateSn = nextPlatformCertificateSn;
		}

		public Duration getReplayWindow() {
			return this.replayWindow;
		}

		public void setReplayWindow(Duration replayWindow) {
			this.replayWindow = replayWindow;
		}

		@Override
		public String toString() {
			return "ApiSecurity[enabled=" + this.enabled + ", symmetricKey="
					+ ((this.symmetricKey != null) ? "******" : null) + ", symmetricKeySn=" + this.symmetricKeySn
					+ ", platformCertificateSn=" + this.platformCertificateSn + "]";
		}

	}

	/**
	 * Encryption algorithms of WeChat's API security mode.
	 */
	public enum SymmetricAlgorithm {

		/** AES-256-GCM. */
		AES256_GCM,

		/** SM4-GCM: not implemented; startup fails. */
		SM4_GCM

	}

	/**
	 * Signature algorithms of WeChat's API security mode.
	 */
	public enum SignatureAlgorithm {

		/** RSASSA-PSS with SHA-256. */
		RSA_WITH_SHA256,

		/** SM2 with SM3: not implemented; startup fails. */
		SM2_WITH_SM3

	}

}
