package io.github.wechatminiapp.opendata;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.crypto.OpenDataCipher;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataSignatures;
import io.github.wechatminiapp.crypto.Watermark;
import io.github.wechatminiapp.session.Openids;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.session.SessionKeyNotFoundException;
import io.github.wechatminiapp.session.SessionKeyRepository;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * Every piece of encrypted open data besides the phone number ({@code wx.getWeRunData},
 * {@code wx.getShareInfo}, {@code wx.getGroupEnterInfo}, {@code wx.getUserInfo}, or a
 * type of your own), decrypted with the user's stored session key and accepted under the
 * same checks as the phone number; and the {@code rawData} signature.
 */
public class OpenDataService {

	private static final Log logger = LogFactory.getLog(OpenDataService.class);

	/**
	 * Longest {@code rawData} checked, in characters; WeChat's user info is a few
	 * hundred.
	 */
	static final int MAX_RAW_DATA_LENGTH = OpenDataCipher.MAX_ENCRYPTED_DATA_LENGTH;

	/** A SHA-1 in hex. */
	private static final int SIGNATURE_LENGTH = 40;

	private final String appId;

	private final SessionKeyRepository sessionKeys;

	private Duration watermarkMaxAge = Watermark.DEFAULT_MAX_AGE;

	private Clock clock = Clock.systemUTC();

	private OpenDataRejectionListener rejectionListener = OpenDataRejectionListener.NONE;

	private int failureBudget = OpenDataDecryptor.DEFAULT_FAILURE_BUDGET;

	private FailureBudgetListener failureBudgetListener = FailureBudgetListener.NONE;

	private JsonMapper jsonMapper = JsonMapper.builder().build();

	private OpenDataDecryptor decryptor;

	private OpenDataReader reader;

	/**
	 * Creates the service from its two required collaborators, with the defaults for the
	 * rest: watermarks up to {@link Watermark#DEFAULT_MAX_AGE} old on the system clock, a
	 * failure budget of {@link OpenDataDecryptor#DEFAULT_FAILURE_BUDGET} shared with the
	 * phone number through the store, payloads bound by a default {@link JsonMapper}, and
	 * no listeners. The setters change them; call them before the service is shared.
	 * @param appId the app id, the one watermarks must name
	 * @param sessionKeys where session keys and decryption failure counts are kept
	 */
	public OpenDataService(String appId, SessionKeyRepository sessionKeys) {
		Assert.hasText(appId, "appId must not be empty");
		this.appId = appId;
		Assert.notNull(sessionKeys, "sessionKeys must not be null");
		this.sessionKeys = sessionKeys;
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
	 * Sets the clock watermarks are checked against.
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
	 * Sets the rejected payloads per user after which the user's session keys are
	 * dropped, shared with the phone number through the store (see
	 * {@link OpenDataDecryptor}).
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
	 * Sets the mapper that binds accepted payloads to the types asked for: its modules
	 * and settings apply; unknown fields are ignored whatever it says.
	 * @param jsonMapper the mapper; a default {@link JsonMapper} by default
	 */
	public void setJsonMapper(JsonMapper jsonMapper) {
		Assert.notNull(jsonMapper, "jsonMapper must not be null");
		this.jsonMapper = jsonMapper;
		this.reader = newReader();
	}

	private OpenDataDecryptor newDecryptor(int budget) {
		return new OpenDataDecryptor(this.sessionKeys, this.appId, budget, this.failureBudgetListener);
	}

	private OpenDataReader newReader() {
		return new OpenDataReader(this.jsonMapper, this.appId, this.watermarkMaxAge, this.clock);
	}

	/**
	 * Decrypts open data with the user's stored session key, or with the one before it
	 * when WeChat rotated the key after encrypting the data, and binds it to
	 * {@code type}. Accepted only when, under the same key, the padding is valid, the
	 * plaintext is one JSON object with no name twice and nothing after it, its watermark
	 * names this app and is recent enough, and any {@code openId} in it is this user's.
	 * Rejections count against the user's failure budget, shared with the phone number
	 * (see {@link OpenDataDecryptor}); when it runs out, the user's keys are dropped and
	 * the user must log in again.
	 * @param <T> the payload type
	 * @param openid the user, as the login returned it (from your session, never from the
	 * client)
	 * @param encryptedData the {@code encryptedData} of the client's callback
	 * @param iv the {@code iv} of the client's callback
	 * @param type {@link WeRunData}, {@link ShareInfo}, {@link UserInfo}, or any type the
	 * JSON mapper can bind
	 * @return the payload
	 * @throws LoginRequiredException if the user must log in again: no key stored
	 * ({@link SessionKeyNotFoundException}), the data fits none of the user's keys, or
	 * the failure budget is spent; with the same message as an {@link OpenDataException}
	 * @throws OpenDataException if the data cannot be decrypted or verified, always with
	 * the same message; {@link OpenDataException#reason()} says why
	 */
	public <T> T decrypt(String openid, String encryptedData, String iv, Class<T> type) {
		Openids.require(openid);
		Objects.requireNonNull(type, "type");
		try {
			return this.decryptor.decrypt(openid, encryptedData, iv,
					(plaintext, user) -> this.reader.read(plaintext, user, type));
		}
		catch (OpenDataException ex) {
			throw rejected(ex);
		}
		catch (LoginRequiredException ex) {
			throw loginRequired(ex);
		}
	}

	/**
	 * Checks the {@code signature} that comes with {@code rawData}
	 * ({@code wx.getUserInfo}): {@code hex(sha1(rawData + session_key))}, compared in
	 * constant time. The previous session key is tried too, for the same reason as in
	 * {@link #decrypt}: the signature was made with the key current when the client
	 * asked, which a {@code wx.login} may have replaced since.
	 * @param openid the user
	 * @param rawData the {@code rawData} as the client sent it
	 * @param signature the {@code signature} as the client sent it
	 * @return whether one of the user's stored keys made the signature; false, never an
	 * exception, when no key is stored or an input is missing, malformed or oversized
	 */
	public boolean verifyRawData(String openid, String rawData, String signature) {
		if (!Openids.isValid(openid) || rawData == null || rawData.length() > MAX_RAW_DATA_LENGTH || signature == null
				|| signature.length() != SIGNATURE_LENGTH) {
			return false;
		}
		boolean valid = false;
		for (SessionKey key : this.sessionKeys.findRecent(openid)) {
			// Not short-circuited: the time taken does not tell which key matched.
			valid |= OpenDataSignatures.isRawDataSignatureValid(rawData, key.toBase64(), signature);
		}
		return valid;
	}

	private OpenDataException rejected(OpenDataException ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("Open data rejected: " + ex.reason());
		}
		this.rejectionListener.rejected(ex.reason());
		return ex;
	}

	private LoginRequiredException loginRequired(LoginRequiredException ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("Open data rejected: " + ex.reason());
		}
		this.rejectionListener.loginRequired(ex.reason());
		return ex;
	}

}
