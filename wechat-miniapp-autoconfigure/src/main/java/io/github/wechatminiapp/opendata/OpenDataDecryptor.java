package io.github.wechatminiapp.opendata;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.crypto.OpenDataCipher;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.crypto.Sha256;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.session.SessionKeyNotFoundException;
import io.github.wechatminiapp.session.SessionKeyRepository;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * Decrypts a user's open data ({@code encryptedData}/{@code iv}) with the stored session
 * keys, the current one and then the previous one, and keeps a failure budget per user.
 * <p>
 * WeChat's open data is AES-CBC without a MAC, so every answer that depends on the
 * padding is an oracle: with unlimited tries a user can make the server decrypt, and
 * accept, plaintext of their choosing under their own key. So each decryption first
 * reserves a slot of the budget of the user's current key, atomically in the store
 * ({@link SessionKeyRepository#reserveDecryption(String, SessionKey, int)}): however many
 * requests race, at most the budget of them decrypt. A rejected payload keeps its slot,
 * whichever keys were tried (bad padding included: one byte costs an attacker about 128
 * bad-padding answers and a single valid one); an accepted one gives it back. The
 * rejection that takes the last slot drops the user's keys; from then on the key decrypts
 * nothing, a fully valid payload included, until its count expires or the user logs in
 * with another key: the count belongs to the key, so logging in again and being handed
 * the same key by WeChat buys nothing. Input rejected before any key is used (not Base64,
 * wrong lengths, too large) reserves and counts nothing.
 * <p>
 * Every refusal is cheap (no stack trace) and quiet: one WARN when a key's budget runs
 * out, and refusals past it summed up in at most one WARN a minute.
 * <p>
 * Shared by every kind of open data: the caller passes the reader that turns the
 * plaintext into its result and throws {@link OpenDataException} for a payload it
 * refuses.
 */
public final class OpenDataDecryptor {

	/** The rejected payloads a user is allowed, unless configured otherwise. */
	public static final int DEFAULT_FAILURE_BUDGET = 5;

	private static final Log logger = LogFactory.getLog(OpenDataDecryptor.class);

	private static final long REFUSAL_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

	private final SessionKeyRepository sessionKeys;

	private final String appId;

	private final int failureBudget;

	private final FailureBudgetListener listener;

	private final LongSupplier nanoTime;

	private final AtomicLong nextRefusalLog;

	private final LongAdder refusalsSinceLog = new LongAdder();

	/**
	 * Creates a decryptor.
	 * @param sessionKeys where the session keys and the failure counts are kept
	 * @param appId the app, for the log line and the listener
	 * @param failureBudget rejected payloads after which the user's keys are dropped; at
	 * least 1
	 * @param listener told each time a budget runs out
	 */
	public OpenDataDecryptor(SessionKeyRepository sessionKeys, String appId, int failureBudget,
			FailureBudgetListener listener) {
		this(sessionKeys, appId, failureBudget, listener, System::nanoTime);
	}

	OpenDataDecryptor(SessionKeyRepository sessionKeys, String appId, int failureBudget, FailureBudgetListener listener,
			LongSupplier nanoTime) {
		Assert.notNull(sessionKeys, "sessionKeys must not be null");
		Assert.isTrue(failureBudget >= 1, "failureBudget must be at least 1");
		Assert.notNull(listener, "listener must not be null");
		this.sessionKeys = sessionKeys;
		this.appId = appId;
		this.failureBudget = failureBudget;
		this.listener = listener;
		this.nanoTime = nanoTime;
		this.nextRefusalLog = new AtomicLong(nanoTime.getAsLong());
	}

	/**
	 * Decrypts the user's open data and reads it. A result is accepted only when the
	 * padding and the reader pass under the same key.
	 * @param <T> the result type
	 * @param openid the user
	 * @param encryptedData the {@code encryptedData}
	 * @param iv the {@code iv}
	 * @param reader reads the plaintext; throws {@link OpenDataException} for a payload
	 * it refuses
	 * @return what the reader made of the plaintext
	 * @throws SessionKeyNotFoundException if no session key is stored for the user
	 * @throws LoginRequiredException with
	 * {@link LoginRequiredException.Reason#UNKNOWN_SESSION_KEY} when the data fits none
	 * of the user's keys, {@link LoginRequiredException.Reason#FAILURE_BUDGET_EXHAUSTED}
	 * when this rejection used up the user's budget or it was spent already; with the
	 * message of {@link OpenDataException}
	 * @throws OpenDataException if the data is refused for what it is
	 */
	public <T> T decrypt(String openid, String encryptedData, String iv, Function<byte[], T> reader) {
		return decrypt(openid, encryptedData, iv, (plaintext, user) -> reader.apply(plaintext));
	}

	/**
	 * Decrypts the user's open data and reads it, as
	 * {@link #decrypt(String, String, String, Function)} does, with a reader that is also
	 * told the user: one made once serves every call, with no object per call.
	 * @param <T> the result type
	 * @param openid the user
	 * @param encryptedData the {@code encryptedData}
	 * @param iv the {@code iv}
	 * @param reader reads the plaintext for the user (the openid passed here); throws
	 * {@link OpenDataException} for a payload it refuses
	 * @return what the reader made of the plaintext
	 * @throws SessionKeyNotFoundException if no session key is stored for the user
	 * @throws LoginRequiredException as
	 * {@link #decrypt(String, String, String, Function)} does
	 * @throws OpenDataException if the data is refused for what it is
	 */
	public <T> T decrypt(String openid, String encryptedData, String iv, BiFunction<byte[], String, T> reader) {
		List<SessionKey> keys = this.sessionKeys.findRecent(openid);
		if (keys.isEmpty()) {
			throw new SessionKeyNotFoundException();
		}
		// Broken whatever the key, found before any key is used: no oracle, nothing to
		// count.
		byte[] ivBytes = OpenDataCipher.decodeIv(iv);
		byte[] ciphertext = OpenDataCipher.decodeEncryptedData(encryptedData);
		SessionKey current = keys.get(0);
		int reserved = this.sessionKeys.reserveDecryption(openid, current, this.failureBudget);
		if (reserved > this.failureBudget) {
			refusedPastBudget();
			throw new OpenDataLoginRequiredException(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		}
		OpenDataException refusal = null;
		for (int i = 0; i < keys.size(); i++) {
			try {
				T result = reader.apply(OpenDataCipher.decryptBytes(keys.get(i).aesKey(), ivBytes, ciphertext), openid);
				this.sessionKeys.releaseDecryption(openid, current);
				if (i > 0) {
					logger.debug("Open data decrypted with the user's previous session key: the client rotated it "
							+ "(wx.login) after the data was encrypted");
				}
				return result;
			}
			catch (OpenDataException ex) {
				// A key that decrypted the data to a payload then refused says more than
				// a key that did not fit.
				if (refusal == null && ex.reason() != Reason.BAD_PADDING) {
					refusal = ex;
				}
			}
		}
		if (reserved == this.failureBudget) {
			this.sessionKeys.remove(openid);
			logger.warn("Open data of user " + userTag(openid) + " of app " + this.appId
					+ " was rejected too often: decryption failure budget of " + this.failureBudget
					+ " exhausted, session keys dropped, the user must log in again (a padding-oracle attack looks "
					+ "like this)");
			this.listener.exhausted(this.appId, openid);
			// Whatever the keys made of this payload stays unsaid.
			throw new OpenDataLoginRequiredException(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		}
		if (refusal == null) {
			// No key fits: the data was made with a key we never saw.
			throw new OpenDataLoginRequiredException(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
		}
		throw refusal;
	}

	/**
	 * Counted always, written at most once a minute: an attacker must not be able to
	 * flood the log.
	 */
	private void refusedPastBudget() {
		this.refusalsSinceLog.increment();
		long now = this.nanoTime.getAsLong();
		long due = this.nextRefusalLog.get();
		if (now - due >= 0 && this.nextRefusalLog.compareAndSet(due, now + REFUSAL_LOG_INTERVAL_NANOS)) {
			logger.warn(this.refusalsSinceLog.sumThenReset() + " open data payload(s) of app " + this.appId
					+ " refused without decrypting since the last such line: their session keys' failure budget of "
					+ this.failureBudget + " is spent until the users log in with a new key");
		}
	}

	/**
	 * Tells log lines about the same user apart without writing the openid: 8 hex digits
	 * of its SHA-256.
	 * @param openid the user's openid
	 * @return {@code #} and the first 8 hex digits of the openid's SHA-256
	 */
	static String userTag(String openid) {
		byte[] hash = Sha256.digest(openid.getBytes(StandardCharsets.UTF_8));
		return "#" + HexFormat.of().formatHex(hash, 0, 4);
	}

}
