package io.github.wechatminiapp.client;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.github.wechatminiapp.client.WeChatApiSecurityException.Reason;
import io.github.wechatminiapp.crypto.ApiSecurityEnvelope;
import io.github.wechatminiapp.crypto.ApiSecuritySignature;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;

/**
 * One app's side of WeChat's API security mode ("服务端 API 签名与加密"): seals a request's
 * parameters in the AES-256-GCM envelope and signs it with the app's private key;
 * verifies an answer, failing closed. An answer is used only when its
 * {@code Wechatmp-Appid} is this app, its {@code Wechatmp-Serial} (or, while WeChat
 * rotates certificates, its {@code Wechatmp-Serial-Deprecated}) names a configured
 * platform certificate whose key verifies the signature, its timestamp is within the
 * replay window, and its envelope decrypts to {@code _appid} and {@code _timestamp} equal
 * to the headers. Anything else throws {@link WeChatApiSecurityException}, logs one WARN
 * line and tells the listener; no key, signature or data is ever logged.
 */
public final class WeChatApiSecurity {

	static final String APPID = "Wechatmp-Appid";

	static final String TIMESTAMP = "Wechatmp-TimeStamp";

	static final String SIGNATURE = "Wechatmp-Signature";

	static final String SERIAL = "Wechatmp-Serial";

	static final String SERIAL_DEPRECATED = "Wechatmp-Serial-Deprecated";

	static final String SIGNATURE_DEPRECATED = "Wechatmp-Signature-Deprecated";

	private static final Log logger = LogFactory.getLog(WeChatApiSecurity.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final SecureRandom RANDOM = new SecureRandom();

	private final String apiBaseUrl;

	private final String appId;

	private final byte[] symmetricKey;

	private final String symmetricKeySn;

	private final PrivateKey privateKey;

	private final Map<String, PublicKey> platformKeys;

	private final Duration replayWindow;

	private final Clock clock;

	private final ApiSecurityRejectionListener listener;

	/**
	 * Creates the API security of one app, with its keys and WeChat's certificates.
	 * @param apiBaseUrl the WeChat API base URL, the start of every signed
	 * {@code urlpath}
	 * @param appId the app id
	 * @param symmetricKey the 32-byte AES-256-GCM key
	 * @param symmetricKeySn the symmetric key's number
	 * @param privateKey the app's RSA private key
	 * @param platformKeys the public key of each platform certificate by its number (the
	 * current one, and one being rotated in)
	 * @param replayWindow how far an answer's timestamp may be from now
	 * @param clock the clock of the replay window
	 * @param listener told of each refused answer
	 */
	public WeChatApiSecurity(String apiBaseUrl, String appId, byte[] symmetricKey, String symmetricKeySn,
			PrivateKey privateKey, Map<String, PublicKey> platformKeys, Duration replayWindow, Clock clock,
			ApiSecurityRejectionListener listener) {
		Assert.hasText(apiBaseUrl, "apiBaseUrl must not be empty");
		Assert.hasText(appId, "appId must not be empty");
		Assert.isTrue(symmetricKey != null && symmetricKey.length == ApiSecurityEnvelope.KEY_LENGTH,
				"symmetricKey must be 32 bytes");
		Assert.hasText(symmetricKeySn, "symmetricKeySn must not be empty");
		Assert.notNull(privateKey, "privateKey must not be null");
		Assert.notEmpty(platformKeys, "platformKeys must not be empty");
		Assert.isTrue(replayWindow != null && !replayWindow.isNegative() && !replayWindow.isZero(),
				"replayWindow must be positive");
		Assert.notNull(clock, "clock must not be null");
		Assert.notNull(listener, "listener must not be null");
		this.apiBaseUrl = apiBaseUrl.endsWith("/") ? apiBaseUrl.substring(0, apiBaseUrl.length() - 1) : apiBaseUrl;
		this.appId = appId;
		this.symmetricKey = symmetricKey.clone();
		this.symmetricKeySn = symmetricKeySn;
		this.privateKey = privateKey;
		this.platformKeys = Map.copyOf(platformKeys);
		this.replayWindow = replayWindow;
		this.clock = clock;
		this.listener = listener;
	}

	/**
	 * The app this mode is configured for.
	 * @return the app id
	 */
	public String appId() {
		return this.appId;
	}

	/**
	 * Seals a request: the parameters (never the access token) with {@code _n},
	 * {@code _appid} and {@code _timestamp} inside the envelope, signed.
	 * @param path the API's path, without the query
	 * @param parameters the request's parameters
	 * @return the body and headers to send
	 */
	SealedRequest seal(String path, Map<String, ?> parameters) {
		long timestamp = this.clock.instant().getEpochSecond();
		String urlPath = this.apiBaseUrl + path;
		Map<String, Object> plaintext = new LinkedHashMap<>();
		plaintext.put("_n", nonce());
		plaintext.put("_appid", this.appId);
		plaintext.put("_timestamp", timestamp);
		plaintext.putAll(parameters);
		byte[] body = ApiSecurityEnvelope
			.seal(this.symmetricKey, ApiSecurityEnvelope.aad(urlPath, this.appId, timestamp, this.symmetricKeySn),
					JSON.writeValueAsBytes(plaintext))
			.toJson()
			.getBytes(StandardCharsets.UTF_8);
		String signature = ApiSecuritySignature.sign(this.privateKey,
				ApiSecuritySignature.message(urlPath, this.appId, timestamp, body));
		return new SealedRequest(body, this.appId, Long.toString(timestamp), signature);
	}

	/**
	 * Verifies and decrypts an answer.
	 * @param api the API, for the exception
	 * @param path the API's path, without the query
	 * @param headers the answer's headers
	 * @param body the answer's body as received
	 * @return the decrypted JSON
	 * @throws WeChatApiSecurityException if any check fails
	 */
	byte[] open(WeChatApi api, String path, HttpHeaders headers, byte[] body) {
		String signature = headers.getFirst(SIGNATURE);
		String serial = headers.getFirst(SERIAL);
		String timestampHeader = headers.getFirst(TIMESTAMP);
		if (signature == null || serial == null || timestampHeader == null) {
			throw refuse(api, Reason.UNSIGNED, plaintextErrcode(body));
		}
		if (!this.appId.equals(headers.getFirst(APPID))) {
			throw refuse(api, Reason.FOREIGN_APPID, null);
		}
		long timestamp = timestamp(api, timestampHeader);
		String urlPath = this.apiBaseUrl + path;
		PublicKey platformKey = this.platformKeys.get(serial);
		if (platformKey == null) {
			// While WeChat rotates its certificate it signs with both; the one configured
			// here may be the older.
			String deprecated = headers.getFirst(SERIAL_DEPRECATED);
			platformKey = (deprecated != null) ? this.platformKeys.get(deprecated) : null;
			signature = headers.getFirst(SIGNATURE_DEPRECATED);
			if (platformKey == null) {
				throw refuse(api, Reason.UNKNOWN_SERIAL, "serial " + printable(serial));
			}
		}
		if (!ApiSecuritySignature.verify(platformKey,
				ApiSecuritySignature.message(urlPath, this.appId, timestamp, body), signature)) {
			throw refuse(api, Reason.BAD_SIGNATURE, null);
		}
		long age = Math.abs(this.clock.instant().getEpochSecond() - timestamp);
		if (age > this.replayWindow.toSeconds()) {
			throw refuse(api, Reason.STALE_TIMESTAMP, age + " s from now");
		}
		byte[] plaintext = decrypt(body, ApiSecurityEnvelope.aad(urlPath, this.appId, timestamp, this.symmetricKeySn))
			.orElseThrow(() -> refuse(api, Reason.UNDECRYPTABLE, null));
		JsonNode payload = readObject(plaintext);
		if (payload == null || !this.appId.equals(payload.path("_appid").asString(null))
				|| !payload.path("_timestamp").isIntegralNumber() || payload.path("_timestamp").asLong() != timestamp) {
			throw refuse(api, Reason.PAYLOAD_MISMATCH, null);
		}
		return plaintext;
	}

	private long timestamp(WeChatApi api, String header) {
		if (header.isEmpty() || header.length() > 12 || !header.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw refuse(api, Reason.STALE_TIMESTAMP, "not a timestamp");
		}
		return Long.parseLong(header);
	}

	private Optional<byte[]> decrypt(byte[] body, String aad) {
		JsonNode envelope = readObject(body);
		if (envelope == null) {
			return Optional.empty();
		}
		return new ApiSecurityEnvelope(text(envelope, "iv"), text(envelope, "data"), text(envelope, "authtag"))
			.open(this.symmetricKey, aad);
	}

	private WeChatApiSecurityException refuse(WeChatApi api, Reason reason, String detail) {
		WeChatApiSecurityException ex = new WeChatApiSecurityException(api, reason, detail);
		logger.warn(ex.getMessage() + " for app " + this.appId);
		this.listener.rejected(this.appId, api, reason);
		return ex;
	}

	private static String plaintextErrcode(byte[] body) {
		JsonNode node = readObject(body);
		JsonNode errcode = (node != null) ? node.get("errcode") : null;
		return (errcode != null && errcode.isIntegralNumber()) ? "errcode " + errcode.asLong() : null;
	}

	private static String printable(String serial) {
		return (serial.length() <= 64 && serial.chars().allMatch((c) -> c > 0x20 && c < 0x7F)) ? serial
				: "(not printable)";
	}

	private static JsonNode readObject(byte[] json) {
		try {
			JsonNode node = JSON.readTree(json);
			return (node != null && node.isObject()) ? node : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.asString() : null;
	}

	private static String nonce() {
		// 16 to 32 Base64 characters of varying length, as the official page recommends.
		byte[] bytes = new byte[12 + RANDOM.nextInt(13)];
		RANDOM.nextBytes(bytes);
		return Base64.getEncoder().withoutPadding().encodeToString(bytes);
	}

	@Override
	public String toString() {
		return "WeChatApiSecurity[appId=" + this.appId + ", symmetricKeySn=" + this.symmetricKeySn
				+ ", platformCertificates=" + this.platformKeys.keySet() + ", replayWindow=" + this.replayWindow + "]";
	}

	/**
	 * A sealed request.
	 *
	 * @param body the envelope's JSON
	 * @param appId the {@code Wechatmp-Appid}
	 * @param timestamp the {@code Wechatmp-TimeStamp}
	 * @param signature the {@code Wechatmp-Signature}
	 */
	record SealedRequest(byte[] body, String appId, String timestamp, String signature) {

		void applyTo(HttpHeaders headers) {
			headers.set(APPID, this.appId);
			headers.set(TIMESTAMP, this.timestamp);
			headers.set(SIGNATURE, this.signature);
		}

	}

}
