package io.github.wechatminiapp.opendata;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.wechatminiapp.client.Code2Session;
import io.github.wechatminiapp.client.WeChatApi;
import io.github.wechatminiapp.client.WeChatCommunicationException;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.crypto.OpenDataCipher;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataSignatures;
import io.github.wechatminiapp.opendata.OpenDataRejectionListener;
import io.github.wechatminiapp.opendata.FailureBudgetListener;
import io.github.wechatminiapp.opendata.OpenDataDecryptor;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.session.SessionKeyNotFoundException;
import io.github.wechatminiapp.session.Openids;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.token.AccessTokenProvider;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every piece of encrypted open data besides the phone number ({@code wx.getWeRunData}, {@code wx.getShareInfo},
 * {@code wx.getGroupEnterInfo}, {@code wx.getUserInfo}, or a type of your own), decrypted with the user's stored
 * session key and accepted under the same checks as the phone number; and the {@code rawData} signature.
 */
public class OpenDataService {

	private static final Log logger = LogFactory.getLog(OpenDataService.class);


	/** Longest {@code rawData} checked, in characters; WeChat's user info is a few hundred. */
	static final int MAX_RAW_DATA_LENGTH = OpenDataCipher.MAX_ENCRYPTED_DATA_LENGTH;

	/** A SHA-1 in hex. */
	private static final int SIGNATURE_LENGTH = 40;

	private final WeChatMiniAppClient client;

	private final SessionKeyRepository sessionKeys;

	private final AccessTokenProvider accessTokens;

	private final OpenDataRejectionListener rejectionListener;

	private final OpenDataDecryptor decryptor;

	private final OpenDataReader reader;

	/**
	 * Creates the service, binding payloads with a default {@link JsonMapper}, with the default failure budget, and
	 * reporting no rejections.
	 * @param client the WeChat client; its app id is the one watermarks must name
	 * @param sessionKeys where session keys are kept
	 * @param accessTokens the access token source, for {@link #resetSessionKey(String)}
	 * @param watermarkMaxAge the oldest encrypted payload accepted; zero turns the age check off
	 * @param clock the clock watermarks are checked against
	 */
	public OpenDataService(WeChatMiniAppClient client, SessionKeyRepository sessionKeys,
			AccessTokenProvider accessTokens, Duration watermarkMaxAge, Clock clock) {
		this(client, sessionKeys, accessTokens, watermarkMaxAge, clock, OpenDataRejectionListener.NONE,
				OpenDataDecryptor.DEFAULT_FAILURE_BUDGET, FailureBudgetListener.NONE, JsonMapper.builder().build());
	}

	/**
	 * Creates the service.
	 * @param client the WeChat client; its app id is the one watermarks must name
	 * @param sessionKeys where session keys and decryption failure counts are kept
	 * @param accessTokens the access token source, for {@link #resetSessionKey(String)}
	 * @param watermarkMaxAge the oldest encrypted payload accepted; zero turns the age check off
	 * @param clock the clock watermarks are checked against
	 * @param rejectionListener told the reason of every rejected payload
	 * @param failureBudget rejected payloads per user after which the user's session keys are dropped, shared with
	 * the phone number through the store (see {@link OpenDataDecryptor})
	 * @param failureBudgetListener told each time a user's failure budget runs out
	 * @param jsonMapper binds accepted payloads to the types asked for (its modules and settings apply; unknown
	 * fields are ignored whatever it says)
	 */
	public OpenDataService(WeChatMiniAppClient client, SessionKeyRepository sessionKeys,
			AccessTokenProvider accessTokens, Duration watermarkMaxAge, Clock clock,
			OpenDataRejectionListener rejectionListener, int failureBudget,
			FailureBudgetListener failureBudgetListener, JsonMapper jsonMapper) {
		this.client = Objects.requireNonNull(client, "client");
		this.sessionKeys = Objects.requireNonNull(sessionKeys, "sessionKeys");
		this.accessTokens = Objects.requireNonNull(accessTokens, "accessTokens");
		this.rejectionListener = Objects.requireNonNull(rejectionListener, "rejectionListener");
		this.decryptor = new OpenDataDecryptor(sessionKeys, client.appId(), failureBudget, failureBudgetListener);
		this.reader = new OpenDataReader(Objects.requireNonNull(jsonMapper, "jsonMapper"), client.appId(),
				Objects.requireNonNull(watermarkMaxAge, "watermarkMaxAge"), Objects.requireNonNull(clock, "clock"));
	}

	/**
	 * Decrypts open data with the user's stored session key, or with the one before it when WeChat rotated the key
	 * after encrypting the data, and binds it to {@code type}. Accepted only when, under the same key, the padding
	 * is valid, the plaintext is one JSON object with no name twice and nothing after it, its watermark names this
	 * app and is recent enough, and any {@code openId} in it is this user's. Rejections count against the user's
	 * failure budget, shared with the phone number (see {@link OpenDataDecryptor}); when it runs out, the user's keys
	 * are dropped and the user must log in again.
	 * @param <T> the payload type
	 * @param openid the user, as the login returned it (from your session, never from the client)
	 * @param encryptedData the {@code encryptedData} of the client's callback
	 * @param iv the {@code iv} of the client's callback
	 * @param type {@link WeRunData}, {@link ShareInfo}, {@link UserInfo}, or any type the JSON mapper can bind
	 * @return the payload
	 * @throws SessionKeyNotFoundException if no session key is stored for the user: log in again
	 * @throws OpenDataException if the data cannot be decrypted or verified, always with the same message;
	 * {@link OpenDataException#reason()} says why and {@link OpenDataException#isLoginRequired()} whether the user
	 * must log in again
	 */
	public <T> T decrypt(String openid, String encryptedData, String iv, Class<T> type) {
		Openids.require(openid);
		Objects.requireNonNull(type, "type");
		try {
			return this.decryptor.decrypt(openid, encryptedData, iv,
					(plaintext) -> this.reader.read(plaintext, openid, type));
		}
		catch (OpenDataException ex) {
			throw rejected(ex);
		}
	}

	/**
	 * Checks the {@code signature} that comes with {@code rawData} ({@code wx.getUserInfo}):
	 * {@code hex(sha1(rawData + session_key))}, compared in constant time. The previous session key is tried too,
	 * for the same reason as in {@link #decrypt}: the signature was made with the key current when the client
	 * asked, which a {@code wx.login} may have replaced since.
	 * @param openid the user
	 * @param rawData the {@code rawData} as the client sent it
	 * @param signature the {@code signature} as the client sent it
	 * @return whether one of the user's stored keys made the signature; false, never an exception, when no key is
	 * stored or an input is missing, malformed or oversized
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

	/**
	 * Asks WeChat for a new session key for the user ({@code wxa/resetusersessionkey}), signed with the stored one,
	 * and stores it; the stored one becomes the previous key, so data the client encrypted just before still
	 * decrypts for a while. The new key never leaves the server.
	 * @param openid the user
	 * @throws SessionKeyNotFoundException if no session key is stored for the user
	 * @throws io.github.wechatminiapp.client.WeChatApiException if WeChat refuses (87009: the stored key is stale,
	 * log the user in again)
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
	}

	private OpenDataException rejected(OpenDataException ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("Open data rejected: " + ex.reason());
		}
		this.rejectionListener.rejected(ex.reason());
		return ex;
	}

}
