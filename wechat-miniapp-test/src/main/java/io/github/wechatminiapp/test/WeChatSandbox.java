package io.github.wechatminiapp.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

/**
 * A WeChat Mini Program server API on the loopback interface: a real HTTP server that
 * answers {@code jscode2session}, access tokens, {@code getuserphonenumber},
 * {@code checksession} and {@code resetusersessionkey} the way WeChat does, errors
 * included, and plays the client side (login codes, phone codes, encrypted phone numbers,
 * WeRun, share, group and user info) for tests.
 *
 * <pre>{@code
 * try (WeChatSandbox sandbox = WeChatSandbox.start()) {
 *     WeChatSandboxUser user = sandbox.createUser();
 *     String code = sandbox.loginCode(user);          // what wx.login() gives the mini program
 *     // point the client at sandbox.baseUrl() and exchange the code
 * }
 * }</pre>
 *
 * <p>
 * Thread-safe. Codes and token lifetimes follow the {@linkplain Builder#clock(Clock)
 * clock}, so tests can move time forward instead of sleeping.
 */
public final class WeChatSandbox implements AutoCloseable {

	/** The app id of {@link #start()}. */
	public static final String DEFAULT_APP_ID = "wx0123456789abcdef";

	/** The app secret of {@link #start()}. */
	public static final String DEFAULT_APP_SECRET = "5f3c9a1e7b2d4c6a8e0f1a2b3c4d5e6f";

	/** How long login codes and phone codes stay valid, as on WeChat. */
	public static final Duration CODE_TTL = Duration.ofMinutes(5);

	/**
	 * Seconds after a forced {@code stable_token} call during which another forced call
	 * changes nothing.
	 */
	public static final int FORCED_REFRESH_INTERVAL_SECONDS = 30;

	/** Forced {@code stable_token} calls allowed a day; more are refused with 45009. */
	public static final int FORCED_REFRESHES_PER_DAY = 20;

	/**
	 * Enough for a test's burst of concurrent requests without letting a runaway test
	 * spawn threads.
	 */
	private static final int THREADS = 16;

	private static final int BACKLOG = 256;

	private static final AtomicInteger INSTANCES = new AtomicInteger();

	static {
		// The JDK server sends response headers and body in separate writes; with Nagle's
		// algorithm on, the body
		// waits for the client's delayed ACK, about 40 ms per request, which makes test
		// suites crawl. The
		// server reads this property once, when its configuration class loads, so it must
		// be set before the
		// first server of the JVM starts; an explicit choice by the user wins.
		if (System.getProperty("sun.net.httpserver.nodelay") == null) {
			System.setProperty("sun.net.httpserver.nodelay", "true");
		}
	}

	private final String appId;

	private final String appSecret;

	private final Clock clock;

	private final UserRegistry users = new UserRegistry();

	private final OneTimeCodes loginCodes;

	private final OneTimeCodes phoneCodes;

	private final AccessTokens accessTokens;

	/** Every app the sandbox serves, the default one first: app id to secret. */
	private final Map<String, String> appSecrets = new LinkedHashMap<>();

	/** Each app's own access tokens: a token of one app is refused for another. */
	private final Map<String, AccessTokens> appTokens = new LinkedHashMap<>();

	private final RequestLog requestLog = new RequestLog();

	private final Map<String, WeChatSandboxApiSecurity> apiSecurity = new java.util.concurrent.ConcurrentHashMap<>();

	private final ExecutorService executor;

	private final HttpServer server;

	private final String baseUrl;

	private final AtomicBoolean closed = new AtomicBoolean();

	private WeChatSandbox(Builder builder) {
		this.appId = builder.appId;
		this.appSecret = IssuedSecrets.secret(builder.appSecret);
		this.clock = builder.clock;
		this.loginCodes = new OneTimeCodes(this.clock, CODE_TTL, () -> SandboxRandom.alphanumeric(32));
		this.phoneCodes = new OneTimeCodes(this.clock, CODE_TTL, () -> SandboxRandom.hex(64));
		this.accessTokens = new AccessTokens(this.clock, builder.accessTokenTtl);
		this.appSecrets.put(this.appId, this.appSecret);
		this.appTokens.put(this.appId, this.accessTokens);
		builder.otherApps.forEach((otherAppId, otherSecret) -> {
			this.appSecrets.put(otherAppId, IssuedSecrets.secret(otherSecret));
			this.appTokens.put(otherAppId, new AccessTokens(this.clock, builder.accessTokenTtl));
		});
		this.executor = newExecutor();
		InetAddress loopback = InetAddress.getLoopbackAddress();
		try {
			this.server = HttpServer.create(new InetSocketAddress(loopback, 0), BACKLOG);
		}
		catch (IOException ex) {
			this.executor.shutdownNow();
			throw new UncheckedIOException("Could not start the WeChat sandbox on " + loopback, ex);
		}
		this.server.setExecutor(this.executor);
		this.server.createContext("/", new SandboxRouter(new WeChatApiHandler(this), new ControlApiHandler(this)));
		this.server.start();
		String host = (loopback instanceof Inet6Address) ? "[" + loopback.getHostAddress() + "]"
				: loopback.getHostAddress();
		this.baseUrl = "http://" + host + ":" + port();
	}

	private static ExecutorService newExecutor() {
		int instance = INSTANCES.incrementAndGet();
		AtomicInteger threads = new AtomicInteger();
		ThreadFactory factory = (runnable) -> {
			Thread thread = new Thread(runnable, "wechat-sandbox-" + instance + "-" + threads.incrementAndGet());
			// Daemon, so a test that forgets close() does not keep the JVM alive.
			thread.setDaemon(true);
			return thread;
		};
		// Unbounded queue: requests beyond 16 in flight wait for a thread instead of
		// being refused.
		return new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory);
	}

	/**
	 * Starts a sandbox with {@link #DEFAULT_APP_ID} and {@link #DEFAULT_APP_SECRET}.
	 * @return the running sandbox
	 */
	public static WeChatSandbox start() {
		return builder().start();
	}

	/**
	 * Starts a sandbox for the given app.
	 * @param appId the app id the sandbox accepts
	 * @param appSecret the app secret the sandbox accepts
	 * @return the running sandbox
	 */
	public static WeChatSandbox start(String appId, String appSecret) {
		return builder().appId(appId).appSecret(appSecret).start();
	}

	/**
	 * A builder for a sandbox with a chosen app, token lifetime or clock.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The base URL to configure as the WeChat API base URL.
	 * @return {@code http://127.0.0.1:PORT}, without a trailing slash
	 */
	public String baseUrl() {
		return this.baseUrl;
	}

	/**
	 * The port the sandbox listens on.
	 * @return the port, chosen by the operating system
	 */
	public int port() {
		return this.server.getAddress().getPort();
	}

	/**
	 * The app id the sandbox accepts.
	 * @return the app id
	 */
	public String appId() {
		return this.appId;
	}

	/**
	 * The app secret the sandbox accepts.
	 * @return the app secret
	 */
	public String appSecret() {
		return this.appSecret;
	}

	/**
	 * The starter's properties pointing at this sandbox, for
	 * {@code @DynamicPropertySource} or {@code withPropertyValues}.
	 * @return {@code wechat.miniapp.app-id}, {@code wechat.miniapp.app-secret} and
	 * {@code wechat.miniapp.api-base-url}
	 */
	public Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("wechat.miniapp.app-id", this.appId);
		properties.put("wechat.miniapp.app-secret", this.appSecret);
		properties.put("wechat.miniapp.api-base-url", this.baseUrl);
		return Collections.unmodifiableMap(properties);
	}

	/**
	 * {@link #springProperties()} as {@code name=value} pairs, for
	 * {@code ApplicationContextRunner}'s and {@code SpringApplicationBuilder}'s
	 * {@code withPropertyValues}/{@code properties}.
	 * @return the three properties as {@code name=value}
	 */
	public String[] springPropertyValues() {
		return springProperties().entrySet()
			.stream()
			.map((property) -> property.getKey() + "=" + property.getValue())
			.toArray(String[]::new);
	}

	// Users and the client side of a mini program

	/**
	 * Every app secret, session key (current and rotated) and access token that any
	 * sandbox in this JVM has handed out. A suite can check that none of them appears in
	 * its logs or its responses.
	 * @return the secrets issued so far
	 */
	public static Set<String> issuedSecrets() {
		return IssuedSecrets.secrets();
	}

	/**
	 * The full phone numbers of every user of any sandbox in this JVM. Responses may
	 * carry them; logs must not.
	 * @return the phone numbers so far
	 */
	public static Set<String> issuedPhoneNumbers() {
		return IssuedSecrets.phoneNumbers();
	}

	/**
	 * Creates a user with a random openid, unionid and Chinese mobile number.
	 * @return the new user
	 */
	public WeChatSandboxUser createUser() {
		return createUser(randomMobile(), "86");
	}

	/**
	 * Creates a user with random openid and unionid and the given phone number.
	 * @param purePhoneNumber the phone number without country code, digits only
	 * @param countryCode the country calling code without {@code +}, such as {@code 86}
	 * @return the new user
	 */
	public WeChatSandboxUser createUser(String purePhoneNumber, String countryCode) {
		return createUserOf(this.appId, purePhoneNumber, countryCode);
	}

	/**
	 * Creates a user of one of the sandbox's apps, with a random openid, unionid and
	 * Chinese mobile number. The user's codes, session and watermarks belong to that app:
	 * another app's credentials or token cannot redeem them (40029), as on WeChat, where
	 * an openid exists within one mini program.
	 * @param appId one of {@link #appIds()}
	 * @return the new user
	 */
	public WeChatSandboxUser createUser(String appId) {
		return createUserOf(requireApp(appId), randomMobile(), "86");
	}

	private WeChatSandboxUser createUserOf(String appId, String purePhoneNumber, String countryCode) {
		return this.users.register(new WeChatSandboxUser("o" + SandboxRandom.urlSafe(27),
				"u" + SandboxRandom.urlSafe(27), purePhoneNumber, countryCode), appId);
	}

	/**
	 * The app a user belongs to.
	 * @param user the user
	 * @return the app id
	 */
	public String appIdOf(WeChatSandboxUser user) {
		return appOf(this.users.register(user, this.appId).openid());
	}

	/**
	 * Every app id the sandbox serves, the default one first.
	 * @return the app ids
	 */
	public Set<String> appIds() {
		return Collections.unmodifiableSet(this.appSecrets.keySet());
	}

	/**
	 * The secret of one of the sandbox's apps.
	 * @param appId one of {@link #appIds()}
	 * @return its secret
	 */
	public String appSecret(String appId) {
		return this.appSecrets.get(requireApp(appId));
	}

	private String requireApp(String appId) {
		if (!this.appSecrets.containsKey(appId)) {
			throw new IllegalArgumentException("The sandbox serves no app " + appId);
		}
		return appId;
	}

	String appOf(String openid) {
		String appId = this.users.appOf(openid);
		return (appId != null) ? appId : this.appId;
	}

	/**
	 * The app whose token this is, or null when no app issued it.
	 * @param accessToken the access token
	 * @return the app id, or {@code null}
	 */
	@Nullable String appOfToken(String accessToken) {
		for (Map.Entry<String, AccessTokens> app : this.appTokens.entrySet()) {
			if (app.getValue().issued(accessToken)) {
				return app.getKey();
			}
		}
		return null;
	}

	AccessTokens accessTokens(String appId) {
		return this.appTokens.get(appId);
	}

	/**
	 * Switches the default app into WeChat's API security mode with newly generated keys.
	 * @return the app's keys and the controls of the mode
	 * @see #enableApiSecurity(String)
	 */
	public WeChatSandboxApiSecurity enableApiSecurity() {
		return enableApiSecurity(this.appId);
	}

	/**
	 * Switches an app into WeChat's API security mode with newly generated keys, as its
	 * administrator would: its phone-number exchange then takes only sealed, signed
	 * requests and answers sealed and signed. Idempotent.
	 * @param appId one of {@link #appIds()}
	 * @return the app's keys and the controls of the mode
	 */
	public WeChatSandboxApiSecurity enableApiSecurity(String appId) {
		return this.apiSecurity.computeIfAbsent(requireApp(appId),
				(id) -> new WeChatSandboxApiSecurity(id, this.clock));
	}

	/**
	 * The app's API security mode, or null when it is off.
	 * @param appId the app id
	 * @return the app's API security, or {@code null}
	 */
	@Nullable WeChatSandboxApiSecurity apiSecurity(String appId) {
		return this.apiSecurity.get(appId);
	}

	static String randomMobile() {
		return "13" + SandboxRandom.digits(9);
	}

	/**
	 * What {@code wx.login()} gives the mini program: a new code, usable once within
	 * {@link #CODE_TTL}. It does not change the user's session key. A user built by hand
	 * rather than by {@link #createUser()} is adopted.
	 * @param user the user logging in
	 * @return the login code ({@code js_code})
	 */
	public String loginCode(WeChatSandboxUser user) {
		WeChatSandboxUser known = this.users.register(user, this.appId);
		this.users.sessionKey(known.openid());
		return this.loginCodes.mint(known.openid());
	}

	/**
	 * Replaces the user's session key, as a repeated {@code wx.login()} may do on WeChat.
	 * @param user the user
	 * @return the new session key, Base64
	 */
	public String rotateSessionKey(WeChatSandboxUser user) {
		return this.users.rotateSessionKey(this.users.register(user, this.appId).openid());
	}

	/**
	 * The user's current session key, created if the user has none yet: for assertions
	 * only, since a real server learns it from {@code jscode2session}.
	 * @param user the user
	 * @return the session key, Base64 of 16 bytes (24 characters)
	 */
	public String sessionKey(WeChatSandboxUser user) {
		return this.users.sessionKey(this.users.register(user, this.appId).openid());
	}

	/**
	 * What the {@code getPhoneNumber} button event carries as {@code detail.code}: usable
	 * once within {@link #CODE_TTL}. Its minting time becomes the watermark timestamp of
	 * {@code getuserphonenumber}.
	 * @param user the user sharing the phone number
	 * @return the phone code
	 */
	public String phoneCode(WeChatSandboxUser user) {
		return this.phoneCodes.mint(this.users.register(user, this.appId).openid());
	}

	/**
	 * The older {@code getPhoneNumber} payload: the user's phone number encrypted with
	 * the current session key, watermarked with the user's app id and the clock's time.
	 * @param user the user sharing the phone number
	 * @return {@code encryptedData} and {@code iv}
	 */
	public EncryptedData encryptPhoneNumber(WeChatSandboxUser user) {
		return encryptPhoneNumber(user, appIdOf(user), this.clock.instant());
	}

	/**
	 * The older {@code getPhoneNumber} payload with a chosen watermark, for tests of
	 * watermark checks.
	 * @param user the user sharing the phone number
	 * @param watermarkAppId the app id in the watermark
	 * @param watermarkTimestamp the time in the watermark (whole seconds are kept)
	 * @return {@code encryptedData} and {@code iv}
	 */
	public EncryptedData encryptPhoneNumber(WeChatSandboxUser user, String watermarkAppId, Instant watermarkTimestamp) {
		Objects.requireNonNull(watermarkAppId, "watermarkAppId");
		Objects.requireNonNull(watermarkTimestamp, "watermarkTimestamp");
		Map<String, Object> watermark = new LinkedHashMap<>();
		watermark.put("timestamp", watermarkTimestamp.getEpochSecond());
		watermark.put("appid", watermarkAppId);
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("phoneNumber", user.phoneNumber());
		payload.put("purePhoneNumber", user.purePhoneNumber());
		payload.put("countryCode", user.countryCode());
		payload.put("watermark", watermark);
		return encrypt(user, HttpExchanges.json(payload));
	}

	/**
	 * Any open data, encrypted as WeChat does with the user's current session key and a
	 * random IV.
	 * @param user the user whose session key encrypts
	 * @param plaintextJson the plaintext, encrypted as UTF-8
	 * @return {@code encryptedData} and {@code iv}
	 */
	public EncryptedData encrypt(WeChatSandboxUser user, String plaintextJson) {
		Objects.requireNonNull(plaintextJson, "plaintextJson");
		return encrypt(user, plaintextJson.getBytes(StandardCharsets.UTF_8));
	}

	private EncryptedData encrypt(WeChatSandboxUser user, byte[] plaintext) {
		return OpenDataCrypto.encrypt(sessionKey(user), plaintext);
	}

	// Other open data: WeRun, share and group info, user info

	/**
	 * The user's WeRun steps of the last 31 days (30 and today in China), oldest first,
	 * as {@link #encryptWeRunData(WeChatSandboxUser)} encrypts them: stable for a user
	 * and a day.
	 * @param user the user
	 * @return 31 days
	 */
	public List<WeRunDay> weRunSteps(WeChatSandboxUser user) {
		return OpenDataPayloads.weRunSteps(this.users.register(user), this.clock.instant());
	}

	/**
	 * What {@code wx.getWeRunData} gives the mini program:
	 * {@link #weRunSteps(WeChatSandboxUser)} encrypted with the user's current session
	 * key, watermarked with this app id and the clock's time.
	 * @param user the user
	 * @return {@code encryptedData} and {@code iv}
	 */
	public EncryptedData encryptWeRunData(WeChatSandboxUser user) {
		return encryptWeRunData(user, this.appId, this.clock.instant());
	}

	/**
	 * WeRun data with a chosen watermark, for tests of watermark checks.
	 * @param user the user
	 * @param watermarkAppId the app id in the watermark
	 * @param watermarkTimestamp the time in the watermark (whole seconds are kept)
	 * @return {@code encryptedData} and {@code iv}
	 */
	public EncryptedData encryptWeRunData(WeChatSandboxUser user, String watermarkAppId, Instant watermarkTimestamp) {
		return encryptWatermarked(user, OpenDataPayloads.weRun(weRunSteps(user)), watermarkAppId, watermarkTimestamp);
	}

	/**
	 * A new group chat's id ({@code openGId}), as WeChat gives each group a mini program
	 * is shared to.
	 * @return a random group id
	 */
	public String createGroupId() {
		return "tG" + SandboxRandom.urlSafe(26);
	}

	/**
	 * What {@code wx.getShareInfo} gives the mini program opened from a share card in a
	 * group: {@code {"openGId": ...}} with the watermark.
	 * @param user the user who opened the card
	 * @param openGId the group, for instance from {@link #createGroupId()}
	 * @return {@code encryptedData} and {@code iv}
	 */
	public EncryptedData encryptShareInfo(WeChatSandboxUser user, String openGId) {
		Objects.requireNonNull(openGId, "openGId");
		return encryptWatermarked(user, OpenDataPayloads.shareInfo(openGId), this.appId, this.clock.instant());
	}

	/**
	 * What {@code wx.getGroupEnterInfo} gives the mini program opened from a group chat:
	 * {@code {"opengid": ..., "group_openid": ..., "chat_type": 3}} (WeChat writes this
	 * id in lower case here) with the watermark.
	 * @param user the user who entered from the group
	 * @param openGId the group
	 * @return {@code encryptedData} and {@code iv}
	 */
	public EncryptedData encryptGroupEnterInfo(WeChatSandboxUser user, String openGId) {
		Objects.requireNonNull(openGId, "openGId");
		return encryptWatermarked(user,
				OpenDataPayloads.groupEnterInfo(openGId, OpenDataPayloads.groupOpenId(user, openGId)), this.appId,
				this.clock.instant());
	}

	/**
	 * A new single chat's id ({@code open_single_roomid}), as WeChat gives each
	 * one-to-one chat a mini program is shared to.
	 * @return a random single chat id
	 */
	public String createSingleRoomId() {
		return "sR" + SandboxRandom.urlSafe(26);
	}

	/**
	 * What {@code wx.getGroupEnterInfo} gives the mini program opened from a single chat,
	 * which has no {@code opengid}: {@code {"open_single_roomid": ..., "group_openid":
	 * ..., "chat_type": 1}} with the watermark.
	 * @param user the user who entered from the chat
	 * @param openSingleRoomId the chat, for instance from {@link #createSingleRoomId()}
	 * @return {@code encryptedData} and {@code iv}
	 */
	public EncryptedData encryptSingleChatEnterInfo(WeChatSandboxUser user, String openSingleRoomId) {
		Objects.requireNonNull(openSingleRoomId, "openSingleRoomId");
		return encryptWatermarked(user, OpenDataPayloads.singleChatEnterInfo(openSingleRoomId,
				OpenDataPayloads.groupOpenId(user, openSingleRoomId)), this.appId, this.clock.instant());
	}

	/**
	 * The user's id within a chat ({@code group_openid}) that the group-enter payloads
	 * carry.
	 * @param user the user
	 * @param chatId the chat's {@code opengid} or {@code open_single_roomid}
	 * @return the id, stable for a user and a chat
	 */
	public String groupOpenId(WeChatSandboxUser user, String chatId) {
		return OpenDataPayloads.groupOpenId(this.users.register(user), chatId);
	}

	/**
	 * What the older {@code wx.getUserInfo} encrypts: {@code openId}, {@code unionId}
	 * (when the user has one) and the profile WeChat has sent for every user since 2022
	 * (nickname {@code 微信用户}, gender 0, the grey default avatar, empty places and
	 * language), with the watermark.
	 * @param user the user
	 * @return {@code encryptedData} and {@code iv}
	 */
	public EncryptedData encryptUserInfo(WeChatSandboxUser user) {
		return encryptWatermarked(user, OpenDataPayloads.userInfo(user), this.appId, this.clock.instant());
	}

	/**
	 * What {@code wx.getUserInfo} gives in clear: the profile as {@code rawData} and its
	 * signature with the user's current session key.
	 * @param user the user
	 * @return {@code rawData} and {@code signature}
	 */
	public SignedRawData signedRawData(WeChatSandboxUser user) {
		String rawData = OpenDataPayloads.json(OpenDataPayloads.publicUserInfo());
		return new SignedRawData(rawData, OpenDataPayloads.rawDataSignature(rawData, sessionKey(user)));
	}

	private EncryptedData encryptWatermarked(WeChatSandboxUser user, Map<String, Object> payload, String watermarkAppId,
			Instant watermarkTimestamp) {
		Objects.requireNonNull(watermarkAppId, "watermarkAppId");
		Objects.requireNonNull(watermarkTimestamp, "watermarkTimestamp");
		return encrypt(user, OpenDataPayloads.watermarked(payload, watermarkAppId, watermarkTimestamp));
	}

	// Access tokens

	/**
	 * Makes every access token issued so far answer 42001 (access_token expired).
	 */
	public void expireAccessTokens() {
		this.appTokens.values().forEach(AccessTokens::expireAll);
	}

	/**
	 * Makes every access token issued so far answer 40001 (invalid credential).
	 */
	public void revokeAccessTokens() {
		this.appTokens.values().forEach(AccessTokens::revokeAll);
	}

	/**
	 * Makes calls reject the current stable token with 40001 (invalid credential) while
	 * {@code stable_token} in normal mode keeps answering it until it expires, as WeChat
	 * does at times: only a forced refresh ({@code force_refresh: true}) replaces it.
	 * Does nothing before the first stable token.
	 */
	public void rejectStableToken() {
		this.accessTokens.rejectStableToken();
	}

	/**
	 * How many {@code stable_token} calls asked for {@code force_refresh: true}, refused
	 * ones included. A forced call replaces the token unless it comes less than
	 * {@value #FORCED_REFRESH_INTERVAL_SECONDS} s after the previous forced call (sandbox
	 * clock); past {@value #FORCED_REFRESHES_PER_DAY} forced calls a day (Beijing time)
	 * it is refused with 45009, as WeChat does.
	 * @return the count since start or {@link #resetCounts()}
	 */
	public int forcedRefreshCount() {
		return this.accessTokens.forcedCalls();
	}

	// Faults and counts

	/**
	 * Queues a fault for the next request of an API that has no earlier fault queued.
	 * Each fault meets exactly one request, before that request is processed.
	 * @param api the API to fail
	 * @param fault the failure
	 */
	public void enqueueFault(WeChatEndpoint api, Fault fault) {
		this.requestLog.enqueueFault(Objects.requireNonNull(api, "api"), Objects.requireNonNull(fault, "fault"));
	}

	/**
	 * Fails every request of an API with the same fault for a while, as in an outage of
	 * WeChat or of the network to it: {@link Fault#hang()} holds each request unanswered
	 * until the outage ends, {@code Fault.errcode(89503)} refuses this server's IP,
	 * {@code Fault.httpStatus(503)} is a gateway error. Takes precedence over queued
	 * faults; a new outage of the same API replaces the previous one (releasing its hung
	 * requests).
	 * @param api the API to fail
	 * @param fault the failure of each request
	 * @param duration how long the outage lasts, in real time, unless
	 * {@link #endOutage(WeChatEndpoint)} ends it earlier
	 */
	public void startOutage(WeChatEndpoint api, Fault fault, Duration duration) {
		Objects.requireNonNull(duration, "duration");
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("duration must be positive");
		}
		this.requestLog.startOutage(Objects.requireNonNull(api, "api"), Objects.requireNonNull(fault, "fault"),
				duration);
	}

	/**
	 * Ends the outage of an API, releasing its hung requests (which get no answer). Does
	 * nothing without one.
	 * @param api the API
	 */
	public void endOutage(WeChatEndpoint api) {
		this.requestLog.endOutage(Objects.requireNonNull(api, "api"));
	}

	/**
	 * Drops every queued fault.
	 */
	public void clearFaults() {
		this.requestLog.clearFaults();
	}

	/**
	 * How many requests reached an API, faulted ones included; control endpoints are not
	 * counted.
	 * @param api the API
	 * @return the count since start or {@link #resetCounts()}
	 */
	public int requestCount(WeChatEndpoint api) {
		return this.requestLog.count(Objects.requireNonNull(api, "api"));
	}

	/**
	 * How many requests reached any WeChat API.
	 * @return the count since start or {@link #resetCounts()}
	 */
	public int totalRequestCount() {
		return this.requestLog.total();
	}

	/**
	 * Sets every count to zero and forgets {@link #receivedJsCodes()}.
	 */
	public void resetCounts() {
		this.requestLog.reset();
		this.accessTokens.resetForcedCalls();
	}

	/**
	 * Every {@code js_code} that reached {@code jscode2session}, in arrival order,
	 * repeats kept: proves that a client never sends a login code twice.
	 * @return an immutable snapshot
	 */
	public List<String> receivedJsCodes() {
		return this.requestLog.jsCodes();
	}

	/**
	 * Stops the server at once, dropping requests in flight. Idempotent.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.requestLog.endOutages();
			this.server.stop(0);
			this.executor.shutdownNow();
		}
	}

	@Override
	public String toString() {
		return "WeChatSandbox[" + this.baseUrl + ", appId=" + this.appId + "]";
	}

	UserRegistry users() {
		return this.users;
	}

	OneTimeCodes loginCodes() {
		return this.loginCodes;
	}

	OneTimeCodes phoneCodes() {
		return this.phoneCodes;
	}

	AccessTokens accessTokens() {
		return this.accessTokens;
	}

	RequestLog requestLog() {
		return this.requestLog;
	}

	/**
	 * Configures and starts a {@link WeChatSandbox}. Reusable: every {@link #start()}
	 * starts a new sandbox.
	 */
	public static final class Builder {

		private String appId = DEFAULT_APP_ID;

		private String appSecret = DEFAULT_APP_SECRET;

		private Duration accessTokenTtl = Duration.ofSeconds(7200);

		private Clock clock = Clock.systemUTC();

		private final Map<String, String> otherApps = new LinkedHashMap<>();

		private Builder() {
		}

		/**
		 * The app id the sandbox accepts; {@link #DEFAULT_APP_ID} unless set.
		 * @param appId the app id
		 * @return this builder
		 */
		public Builder appId(String appId) {
			this.appId = requireText(appId, "appId");
			return this;
		}

		/**
		 * The app secret the sandbox accepts; {@link #DEFAULT_APP_SECRET} unless set.
		 * @param appSecret the app secret
		 * @return this builder
		 */
		public Builder appSecret(String appSecret) {
			this.appSecret = requireText(appSecret, "appSecret");
			return this;
		}

		/**
		 * Another app the sandbox serves beside the default one, with its own codes,
		 * tokens, users and watermarks; {@link WeChatSandbox#createUser(String)} makes
		 * its users.
		 * @param appId the other app's id
		 * @param appSecret its secret
		 * @return this builder
		 */
		public Builder app(String appId, String appSecret) {
			requireText(appId, "appId");
			requireText(appSecret, "appSecret");
			if (appId.equals(this.appId) || this.otherApps.putIfAbsent(appId, appSecret) != null) {
				throw new IllegalArgumentException("app " + appId + " is served already");
			}
			return this;
		}

		/**
		 * How long access tokens live; 7200 seconds, as on WeChat, unless set.
		 * @param accessTokenTtl a positive duration
		 * @return this builder
		 */
		public Builder accessTokenTtl(Duration accessTokenTtl) {
			Objects.requireNonNull(accessTokenTtl, "accessTokenTtl");
			if (accessTokenTtl.isNegative() || accessTokenTtl.isZero()) {
				throw new IllegalArgumentException("accessTokenTtl must be positive");
			}
			this.accessTokenTtl = accessTokenTtl;
			return this;
		}

		/**
		 * The clock for code and token lifetimes and watermarks; the system clock unless
		 * set.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/**
		 * Starts a sandbox with this configuration.
		 * @return the running sandbox
		 */
		public WeChatSandbox start() {
			return new WeChatSandbox(this);
		}

		private static String requireText(String value, String name) {
			Objects.requireNonNull(value, name);
			if (value.isBlank()) {
				throw new IllegalArgumentException(name + " must not be blank");
			}
			return value;
		}

	}

}
