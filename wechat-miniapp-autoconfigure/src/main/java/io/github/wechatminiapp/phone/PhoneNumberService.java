package io.github.wechatminiapp.phone;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.RetryLaterException;
import io.github.wechatminiapp.client.Code2Session;
import io.github.wechatminiapp.client.PhoneInfo;
import io.github.wechatminiapp.client.WeChatApi;
import io.github.wechatminiapp.client.WeChatCommunicationException;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataSignatures;
import io.github.wechatminiapp.crypto.Sha256;
import io.github.wechatminiapp.crypto.Watermark;
import io.github.wechatminiapp.opendata.FailureBudgetListener;
import io.github.wechatminiapp.opendata.OpenDataDecryptor;
import io.github.wechatminiapp.opendata.OpenDataReader;
import io.github.wechatminiapp.opendata.OpenDataRejectionListener;
import io.github.wechatminiapp.session.Openids;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.session.SessionKeyNotFoundException;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.session.SessionKeyResetListener;
import io.github.wechatminiapp.token.AccessTokenProvider;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * The one bean a mini program backend needs: logs users in and gives their verified phone
 * numbers, by the current phone-code API or by the older encryptedData/iv API.
 */
public class PhoneNumberService {

	private static final Log logger = LogFactory.getLog(PhoneNumberService.class);

	/**
	 * How long a login code, once exchanged, is answered again with the same login: a
	 * double tap or a retried request must not turn into 40163 (code used) for a login
	 * that succeeded. Short, since within it the code is worth a login again.
	 */
	public static final Duration LOGIN_REPLAY_WINDOW = Duration.ofSeconds(30);

	/** Logins remembered at most; the oldest go first. */
	static final int MAX_RECENT_LOGINS = 10_000;

	private final WeChatMiniAppClient client;

	private final SessionKeyRepository sessionKeys;

	private final AccessTokenProvider accessTokens;

	/** Recent logins by a hash of their code: nothing secret, and bounded. */
	private final Cache<String, MiniAppLogin> recentLogins;

	/**
	 * Exchanges in flight by a hash of their code; as many as requests being served at
	 * once, at most.
	 */
	private final ConcurrentMap<String, CompletableFuture<MiniAppLogin>> loginsInFlight = new ConcurrentHashMap<>();

	private Duration watermarkMaxAge = Watermark.DEFAULT_MAX_AGE;

	private Clock clock = Clock.systemUTC();

	private OpenDataRejectionListener rejectionListener = OpenDataRejectionListener.NONE;

	private int failureBudget = OpenDataDecryptor.DEFAULT_FAILURE_BUDGET;

	private FailureBudgetListener failureBudgetListener = FailureBudgetListener.NONE;

	private SessionKeyResetListener sessionKeyResetListener = SessionKeyResetListener.NONE;

	private OpenDataDecryptor decryptor;

	private OpenDataReader reader;

	/** Reads a phone number for a user; made once, so a call allocates no reader. */
	private final BiFunction<byte[], String, PhoneNumber> phoneNumberReader = (plaintext, openid) -> this.reader
		.read(plaintext, openid, new PhoneNumberFields());

	/**
	 * Creates the service from its three required collaborators, with the defaults for
	 * the rest: watermarks up to {@link Watermark#DEFAULT_MAX_AGE} old on the system
	 * clock, a failure budget of {@link OpenDataDecryptor#DEFAULT_FAILURE_BUDGET}, and no
	 * listeners. The setters change them; call them before the service is shared.
	 * @param client the WeChat client; its app id is the one watermarks must name
	 * @param sessionKeys where session keys and decryption failure counts are kept
	 * @param accessTokens the access token source
	 */
	public PhoneNumberService(WeChatMiniAppClient client, SessionKeyRepository sessionKeys,
			AccessTokenProvider accessTokens) {
		Assert.notNull(client, "client must not be null");
		this.client = client;
		Assert.notNull(sessionKeys, "sessionKeys must not be null");
		this.sessionKeys = sessionKeys;
		Assert.notNull(accessTokens, "accessTokens must not be null");
		this.accessTokens = accessTokens;
		this.recentLogins = Caffeine.newBuilder()
			.expireAfterWrite(LOGIN_REPLAY_WINDOW)
			.maximumSize(MAX_RECENT_LOGINS)
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(this.clock.millis()))
			.build();
		this.decryptor = newDecryptor(this.failureBudget);
		this.reader = newReader();
	}

	/**
	 * Sets the oldest encrypted payload accepted, by its watermark.
	 * @param watermarkMaxAge the age; zero turns the age check off (the app id is always
	 * checked). {@link Watermark#DEFAULT_MAX_AGE} by default
	 */
	public void setWatermarkMaxAge(Duration watermarkMaxAge) {
		Assert.notNull(watermarkMaxAge, "watermarkMaxAge must not be null");
		this.watermarkMaxAge = watermarkMaxAge;
		this.reader = newReader();
	}

	/**
	 * Sets the clock watermarks and the login replay window are read against.
	 * @param clock the clock; the system clock in UTC by default
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock must not be null");
		this.clock = clock;
		this.reader = newReader();
	}

	/**
	 * Sets who is told the reason of every rejected payload (metrics, alerts).
	 * @param rejectionListener the listener; {@link OpenDataRejectionListener#NONE} by
	 * default
	 */
	public void setRejectionListener(OpenDataRejectionListener rejectionListener) {
		Assert.notNull(rejectionListener, "rejectionListener must not be null");
		this.rejectionListener = rejectionListener;
	}

	/**
	 * Sets the rejected payloads per user after which the user's session keys are dropped
	 * (see {@link OpenDataDecryptor}).
	 * @param failureBudget the budget, at least 1;
	 * {@link OpenDataDecryptor#DEFAULT_FAILURE_BUDGET} by default
	 */
	public void setFailureBudget(int failureBudget) {
		this.decryptor = newDecryptor(failureBudget);
		this.failureBudget = failureBudget;
	}

	/**
	 * Sets who is told each time a user's failure budget runs out.
	 * @param failureBudgetListener the listener; {@link FailureBudgetListener#NONE} by
	 * default
	 */
	public void setFailureBudgetListener(FailureBudgetListener failureBudgetListener) {
		Assert.notNull(failureBudgetListener, "failureBudgetListener must not be null");
		this.failureBudgetListener = failureBudgetListener;
		this.decryptor = newDecryptor(this.failureBudget);
	}

	/**
	 * Told of each successful {@link #resetSessionKey(String) reset} of a user's session
	 * key, once the new key is stored: what lives as long as the key (a login) can end
	 * with it. Set before the service is shared.
	 * @param sessionKeyResetListener the listener; {@link SessionKeyResetListener#NONE}
	 * by default
	 */
	public void setSessionKeyResetListener(SessionKeyResetListener sessionKeyResetListener) {
		Assert.notNull(sessionKeyResetListener, "sessionKeyResetListener must not be null");
		this.sessionKeyResetListener = sessionKeyResetListener;
	}

	private OpenDataDecryptor newDecryptor(int budget) {
		return new OpenDataDecryptor(this.sessionKeys, this.client.appId(), budget, this.failureBudgetListener);
	}

	private OpenDataReader newReader() {
		return new OpenDataReader(this.client.appId(), this.watermarkMaxAge, this.clock);
	}

	/**
	 * The app id of the mini program this service logs users in to.
	 * @return the app id
	 */
	public String appId() {
		return this.client.appId();
	}

	/**
	 * Logs a user in: exchanges the {@code wx.login} code, keeps the session key on the
	 * server. The same code arriving again within {@link #LOGIN_REPLAY_WINDOW} (a double
	 * tap, a retried request) gets the same login without asking WeChat again; arriving
	 * while the first exchange is in flight, it waits for that exchange and shares its
	 * outcome, failure included. A failure is not remembered.
	 * @param jsCode the code from {@code wx.login}
	 * @return the user's openid and unionid
	 * @throws io.github.wechatminiapp.client.WeChatApiException if WeChat refuses the
	 * code
	 */
	public MiniAppLogin login(String jsCode) {
		if (jsCode == null || jsCode.length() > 128) {
			// Refused by the client before anything is sent, and not worth hashing.
			return exchange(jsCode);
		}
		String key = loginKey(jsCode);
		MiniAppLogin recent = this.recentLogins.getIfPresent(key);
		if (recent != null) {
			return recent;
		}
		CompletableFuture<MiniAppLogin> exchange = new CompletableFuture<>();
		CompletableFuture<MiniAppLogin> inFlight = this.loginsInFlight.putIfAbsent(key, exchange);
		if (inFlight != null) {
			return outcome(inFlight);
		}
		try {
			// Another exchange of this code may have ended between the look-up above and
			// taking the flight.
			MiniAppLogin login = this.recentLogins.getIfPresent(key);
			if (login == null) {
				login = exchange(jsCode);
				this.recentLogins.put(key, login);
			}
			exchange.complete(login);
			return login;
		}
		catch (RuntimeException | Error ex) {
			// Shared with the waiters, not remembered: the next arrival of the code asks
			// WeChat again.
			exchange.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.loginsInFlight.remove(key, exchange);
		}
	}

	private static MiniAppLogin outcome(CompletableFuture<MiniAppLogin> exchange) {
		try {
			return exchange.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RetryLaterException("Interrupted while waiting for the same login",
					RetryLaterException.DEFAULT_RETRY_AFTER, null);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw (Error) ex.getCause();
		}
	}

	/**
	 * 128 bits of the code's SHA-256, Base64: tells codes apart, and the code cannot be
	 * read back from it.
	 * @param jsCode the login code from {@code wx.login}
	 * @return 22 characters of unpadded Base64
	 */
	static String loginKey(String jsCode) {
		byte[] hash = Sha256.digest(jsCode.getBytes(StandardCharsets.UTF_8));
		return Base64.getEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16));
	}

	private MiniAppLogin exchange(String jsCode) {
		Code2Session session = this.client.code2Session(jsCode);
		SessionKey sessionKey;
		try {
			sessionKey = SessionKey.ofBase64(session.sessionKey());
		}
		catch (OpenDataException ex) {
			throw new WeChatCommunicationException(WeChatApi.JSCODE2SESSION,
					WeChatCommunicationException.Kind.INVALID_ANSWER, "answer has a malformed session_key");
		}
		this.sessionKeys.save(session.openid(), sessionKey);
		return new MiniAppLogin(this.client.appId(), session.openid(), session.unionid());
	}

	/**
	 * The phone number behind a one-time phone code (the {@code detail.code} of the
	 * getPhoneNumber button).
	 * @param phoneCode the phone code
	 * @return the phone number
	 */
	public PhoneNumber getPhoneNumber(String phoneCode) {
		return phoneNumber(this.accessTokens.execute((token) -> this.client.getUserPhoneNumber(token, phoneCode)));
	}

	/**
	 * The phone number behind a one-time phone code, bound to the user who presents it:
	 * WeChat is sent the openid and refuses a code that was issued to anybody else, so a
	 * code leaked from one user's device cannot be redeemed in another user's session.
	 * @param openid the logged-in user, as {@link #login(String)} returned it
	 * @param phoneCode the phone code
	 * @return the phone number
	 * @throws io.github.wechatminiapp.client.WeChatApiException with errcode 40003
	 * ({@link io.github.wechatminiapp.client.WeChatErrorCode#INVALID_OPENID}) if the code
	 * belongs to another user
	 */
	public PhoneNumber getPhoneNumber(String openid, String phoneCode) {
		Openids.require(openid);
		return phoneNumber(
				this.accessTokens.execute((token) -> this.client.getBoundUserPhoneNumber(token, openid, phoneCode)));
	}

	private PhoneNumber phoneNumber(PhoneInfo info) {
		// The code was just exchanged, so only the app id is checked: the timestamp is
		// when the user tapped.
		info.watermark().verify(this.client.appId(), Duration.ZERO, this.clock);
		return new PhoneNumber(info.phoneNumber(), info.purePhoneNumber(), info.countryCode());
	}

	/**
	 * The phone number in an {@code encryptedData}/{@code iv} pair of the getPhoneNumber
	 * button, decrypted with the user's stored session key, or with the one before it
	 * when WeChat rotated the key after encrypting the data. A result is accepted only
	 * when the padding, the JSON and the watermark (app id and age) all pass under the
	 * same key. Rejections count against the user's failure budget (see
	 * {@link OpenDataDecryptor}); when it runs out, the user's keys are dropped and the
	 * user must log in again.
	 * @param openid the user, as {@link #login(String)} returned it
	 * @param encryptedData the {@code detail.encryptedData}
	 * @param iv the {@code detail.iv}
	 * @return the phone number
	 * @throws LoginRequiredException if the user must log in again: no key stored
	 * ({@link SessionKeyNotFoundException}), the data fits none of the user's keys, or
	 * the failure budget is spent; with the same message as an {@link OpenDataException}
	 * @throws OpenDataException if the data cannot be decrypted or verified;
	 * {@link OpenDataException#reason()} says why
	 */
	public PhoneNumber decryptPhoneNumber(String openid, String encryptedData, String iv) {
		Openids.require(openid);
		try {
			return this.decryptor.decrypt(openid, encryptedData, iv, this.phoneNumberReader);
		}
		catch (OpenDataException ex) {
			throw rejected(ex);
		}
		catch (LoginRequiredException ex) {
			throw loginRequired(ex);
		}
	}

	/**
	 * Asks WeChat whether the stored session key is still the user's current one
	 * ({@code wxa/checksession}).
	 * @param openid the user
	 * @return true when it is, false when WeChat has rotated it since (log the user in
	 * again)
	 * @throws SessionKeyNotFoundException if no session key is stored for the user
	 */
	public boolean checkSessionKey(String openid) {
		Openids.require(openid);
		SessionKey sessionKey = this.sessionKeys.find(openid).orElseThrow(SessionKeyNotFoundException::new);
		String signature = OpenDataSignatures.sessionKeySignature(sessionKey.toBase64());
		return this.accessTokens.execute((token) -> this.client.checkSessionKey(token, openid, signature));
	}

	/**
	 * Asks WeChat for a new session key for the user ({@code wxa/resetusersessionkey}),
	 * signed with the stored one, and stores it; the stored one becomes the previous key,
	 * so data the client encrypted just before still decrypts for a while. The new key
	 * never leaves the server. Once it is stored, the
	 * {@link #setSessionKeyResetListener(SessionKeyResetListener) reset listener} is told
	 * (with Spring Security, the starter ends the user's bearer tokens there); a refusal
	 * stores nothing and tells nothing.
	 * @param openid the user
	 * @throws SessionKeyNotFoundException if no session key is stored for the user
	 * @throws io.github.wechatminiapp.client.WeChatApiException if WeChat refuses (87009:
	 * the stored key is stale, log the user in again)
	 */
	public void resetSessionKey(String openid) {
		Openids.require(openid);
		SessionKey current = this.sessionKeys.find(openid).orElseThrow(SessionKeyNotFoundException::new);
		String signature = OpenDataSignatures.sessionKeySignature(current.toBase64());
		Code2Session answer = this.accessTokens
			.execute((token) -> this.client.resetUserSessionKey(token, openid, signature));
		if (!openid.equals(answer.openid())) {
			throw new WeChatCommunicationException(WeChatApi.RESET_USER_SESSION_KEY,
					WeChatCommunicationException.Kind.INVALID_ANSWER, "answer is for another openid");
		}
		SessionKey renewed;
		try {
			renewed = SessionKey.ofBase64(answer.sessionKey());
		}
		catch (OpenDataException ex) {
			throw new WeChatCommunicationException(WeChatApi.RESET_USER_SESSION_KEY,
					WeChatCommunicationException.Kind.INVALID_ANSWER, "answer has a malformed session_key");
		}
		this.sessionKeys.save(openid, renewed);
		// Only now: a listener that ends the user's login must not end it for a reset
		// that left the old key in place.
		this.sessionKeyResetListener.reset(this.client.appId(), openid);
	}

	private OpenDataException rejected(OpenDataException ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("Phone number open data rejected: " + ex.reason());
		}
		this.rejectionListener.rejected(ex.reason());
		return ex;
	}

	private LoginRequiredException loginRequired(LoginRequiredException ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("Phone number open data rejected: " + ex.reason());
		}
		this.rejectionListener.loginRequired(ex.reason());
		return ex;
	}

}
