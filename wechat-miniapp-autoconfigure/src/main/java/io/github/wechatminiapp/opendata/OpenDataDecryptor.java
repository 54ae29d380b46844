package io.github.wechatminiapp.opendata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.wechatminiapp.crypto.OpenDataCipher;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.session.SessionKeyNotFoundException;
import io.github.wechatminiapp.session.SessionKeyRepository;

import org.springframework.util.Assert;

/**
 * Decrypts a user's open data ({@code encryptedData}/{@code iv}) with the stored session keys, the current one and
 * then the previous one, and keeps a failure budget per user.
 * <p>
 * WeChat's open data is AES-CBC without a MAC, so every answer that depends on the padding is an oracle: with
 * unlimited tries a user can make the server decrypt, and accept, plaintext of their choosing under their own key.
 * Each rejected payload that was decrypted under the user's keys (bad padding included: one byte costs an attacker
 * about 128 bad-padding answers and a single valid one) counts once against the user's budget, whichever keys were
 * tried. Successes do not reset the count. At the budget, the user's keys are dropped and
 * {@link OpenDataException#isLoginRequired()} is true, so the next key costs a real {@code wx.login}; the count
 * belongs to the key (see {@link SessionKeyRepository#recordDecryptionFailure(String, SessionKey)}), so logging in
 * again and being handed the same key by WeChat buys no fresh budget. Input rejected before any key was used (not
 * Base64, wrong lengths, too large) does not count.
 * <p>
 * Shared by every kind of open data: the caller passes the reader that turns the plaintext into its result and
 * throws {@link OpenDataException} for a payload it refuses.
 */
public final class OpenDataDecryptor {

	/** The rejected payloads a user is allowed, unless configured otherwise. */
	public static final int DEFAULT_FAILURE_BUDGET = 5;

	private static final Log logger = LogFactory.getLog(OpenDataDecryptor.class);

	private final SessionKeyRepository sessionKeys;

	private final String appId;

	private final int failureBudget;

	private final FailureBudgetListener listener;

	/**
	 * Creates a decryptor.
	 * @param sessionKeys where the session keys and the failure counts are kept
	 * @param appId the app, for the log line and the listener
	 * @param failureBudget rejected payloads after which the user's keys are dropped; at least 1
	 * @param listener told each time a budget runs out
	 */
	public OpenDataDecryptor(SessionKeyRepository sessionKeys, String appId, int failureBudget,
			FailureBudgetListener listener) {
		Assert.notNull(sessionKeys, "sessionKeys must not be null");
		Assert.isTrue(failureBudget >= 1, "failureBudget must be at least 1");
		Assert.notNull(listener, "listener must not be null");
		this.sessionKeys = sessionKeys;
		this.appId = appId;
		this.failureBudget = failureBudget;
		this.listener = listener;
	}

	/**
	 * Decrypts the user's open data and reads it. A result is accepted only when the padding and the reader pass
	 * under the same key.
	 * @param <T> the result type
	 * @param openid the user
	 * @param encryptedData the {@code encryptedData}
	 * @param iv the {@code iv}
	 * @param reader reads the plaintext; throws {@link OpenDataException} for a payload it refuses
	 * @return what the reader made of the plaintext
	 * @throws SessionKeyNotFoundException if no session key is stored for the user
	 * @throws OpenDataException if the data is refused; with {@link Reason#FAILURE_BUDGET_EXHAUSTED} when this
	 * rejection used up the user's budget
	 */
	public <T> T decrypt(String openid, String encryptedData, String iv, Function<byte[], T> reader) {
		List<SessionKey> keys = this.sessionKeys.findRecent(openid);
		if (keys.isEmpty()) {
			throw new SessionKeyNotFoundException();
		}
		OpenDataException failure = null;
		for (int i = 0; i < keys.size(); i++) {
			try {
				T result = reader.apply(OpenDataCipher.decrypt(keys.get(i).aesKey(), encryptedData, iv));
				if (i > 0) {
					logger.debug("Open data decrypted with the user's previous session key: the client rotated it "
							+ "(wx.login) after the data was encrypted");
				}
				return result;
			}
			catch (OpenDataException ex) {
				if (ex.reason().isDamagedInput()) {
					// Broken whatever the key, found before any key was used: no other key can help, no oracle.
					throw ex;
				}
				failure = moreTelling(failure, ex);
			}
		}
		int failures = this.sessionKeys.recordDecryptionFailure(openid, keys.get(0));
		if (failures >= this.failureBudget) {
			this.sessionKeys.remove(openid);
			// Once per key that runs out, however many calls race past the budget; a store that cannot count
			// exhausts on every rejection.
			if (failures == this.failureBudget || failures == Integer.MAX_VALUE) {
				logger.warn("Open data of user " + userTag(openid) + " of app " + this.appId
						+ " was rejected too often: decryption failure budget of " + this.failureBudget
						+ " exhausted, session keys dropped, the user must log in again (a padding-oracle attack looks "
						+ "like this)");
				this.listener.exhausted(this.appId, openid);
			}
			// Whatever the keys made of this payload stays unsaid.
			throw new OpenDataException(Reason.FAILURE_BUDGET_EXHAUSTED);
		}
		throw failure;
	}

	/**
	 * Of two failures under different keys, the one that says more: a key that decrypted the data to a payload
	 * that was then refused (watermark, content) beats a key that did not fit at all. When no key fits, the data
	 * was made with a key we never saw.
	 */
	private static OpenDataException moreTelling(OpenDataException earlier, OpenDataException later) {
		OpenDataException diagnosed = (later.reason() == Reason.BAD_PADDING)
				? new OpenDataException(Reason.STALE_SESSION_KEY) : later;
		if (earlier == null || earlier.reason() == Reason.STALE_SESSION_KEY) {
			return diagnosed;
		}
		return earlier;
	}

	/** Tells log lines about the same user apart without writing the openid: 8 hex digits of its SHA-256. */
	static String userTag(String openid) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(openid.getBytes(StandardCharsets.UTF_8));
			return "#" + HexFormat.of().formatHex(hash, 0, 4);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

}
