package io.github.wechatminiapp.apps;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.crypto.ApiSecurityEnvelope;
import io.github.wechatminiapp.crypto.PemKeys;
import org.jspecify.annotations.Nullable;

/**
 * The app id and app secret of one mini program, both checked for WeChat's format when
 * created.
 *
 * @param appId "wx" and 16 hexadecimal digits
 * @param appSecret 32 letters and digits; never shown by {@link #toString()}
 * @param apiSecurity the app's keys for WeChat's API security mode, or {@code null} when
 * it is off
 */
public record MiniAppCredentials(String appId, String appSecret, ApiSecurity apiSecurity) {

	/**
	 * Credentials of an app outside WeChat's API security mode.
	 * @param appId the app id
	 * @param appSecret the app secret
	 * @throws InvalidInputException if either is malformed
	 */
	public MiniAppCredentials(String appId, String appSecret) {
		this(appId, appSecret, null);
	}

	private static final Pattern APP_SECRET = Pattern.compile("[0-9a-zA-Z]{32}");

	/**
	 * Checks both formats; a malformed secret is not repeated in the message.
	 * @param appId the app id
	 * @param appSecret the app secret
	 * @throws InvalidInputException if either is malformed
	 */
	public MiniAppCredentials {
		if (!isAppId(appId)) {
			throw new InvalidInputException("an app id is wx followed by 16 hexadecimal digits");
		}
		if (appSecret == null || !APP_SECRET.matcher(appSecret).matches()) {
			throw new InvalidInputException("an app secret is 32 letters and digits");
		}
	}

	/**
	 * Whether a string has the form of an app id; cheap, no lookup.
	 * @param appId the string, may be null
	 * @return true for "wx" and 16 hexadecimal digits
	 */
	public static boolean isAppId(@Nullable String appId) {
		// By hand rather than with the pattern: checked on every request, it allocates
		// nothing.
		if (appId == null || appId.length() != 18 || appId.charAt(0) != 'w' || appId.charAt(1) != 'x') {
			return false;
		}
		for (int i = 2; i < 18; i++) {
			if (!isHexDigit(appId.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isHexDigit(char c) {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

	/**
	 * These credentials with the app's keys for WeChat's API security mode.
	 * @param apiSecurity the keys, or {@code null} to turn the mode off
	 * @return new credentials
	 */
	public MiniAppCredentials withApiSecurity(ApiSecurity apiSecurity) {
		return new MiniAppCredentials(this.appId, this.appSecret, apiSecurity);
	}

	@Override
	public String toString() {
		return "MiniAppCredentials[appId=" + this.appId + ", appSecret=******"
				+ ((this.apiSecurity != null) ? ", apiSecurity=" + this.apiSecurity : "") + "]";
	}

	/**
	 * An app's keys for WeChat's API security mode (AES256_GCM and RSAwithSHA256), as its
	 * administrator finds them under "开发 - 开发管理 - 开发设置 - API安全". {@link #toString()}
	 * shows the key numbers, never a key.
	 *
	 * @param symmetricKey Base64 of the 32-byte AES-256-GCM key
	 * @param symmetricKeySn the symmetric key's number
	 * @param privateKey the app's RSA private key (2048 bits or more)
	 * @param platformCertificates WeChat's platform certificates by their numbers: the
	 * current one and, during a change, the one being rotated in
	 * @param replayWindow how far an answer's timestamp may be from now
	 */
	public record ApiSecurity(String symmetricKey, String symmetricKeySn, PrivateKey privateKey,
			Map<String, X509Certificate> platformCertificates, Duration replayWindow) {

		/** The replay window unless set otherwise. */
		public static final Duration DEFAULT_REPLAY_WINDOW = Duration.ofMinutes(5);

		/**
		 * Checks every value; messages never repeat a key.
		 * @throws IllegalArgumentException if a value is missing or malformed
		 */
		public ApiSecurity {
			if (symmetricKey == null || !isKey(symmetricKey)) {
				throw new IllegalArgumentException("the symmetric key must be the Base64 of 32 bytes (AES256_GCM)");
			}
			if (symmetricKeySn == null || symmetricKeySn.isBlank()) {
				throw new IllegalArgumentException("the symmetric key's number (sn) is required");
			}
			if (privateKey == null) {
				throw new IllegalArgumentException("the app's private key is required");
			}
			if (platformCertificates == null || platformCertificates.isEmpty() || platformCertificates.entrySet()
				.stream()
				.anyMatch((entry) -> entry.getKey() == null || entry.getKey().isBlank() || entry.getValue() == null)) {
				throw new IllegalArgumentException("at least one platform certificate with its number is required");
			}
			if (replayWindow == null || replayWindow.isNegative() || replayWindow.isZero()) {
				throw new IllegalArgumentException("the replay window must be positive");
			}
			platformCertificates = Map.copyOf(platformCertificates);
		}

		/**
		 * Keys from the text the administration page gives, with the default replay
		 * window.
		 * @param symmetricKey the 32-byte key, Base64
		 * @param symmetricKeySn its number
		 * @param privateKeyPem the app's private key, PKCS#8 or PKCS#1 PEM
		 * @param platformCertificateSn the platform certificate's number
		 * @param platformCertificatePem the platform certificate, X.509 PEM
		 * @return the keys
		 * @throws IllegalArgumentException if a value is missing or malformed
		 */
		public static ApiSecurity of(String symmetricKey, String symmetricKeySn, String privateKeyPem,
				String platformCertificateSn, String platformCertificatePem) {
			return new ApiSecurity(symmetricKey, symmetricKeySn, privateKey(privateKeyPem),
					Map.of(nonNull(platformCertificateSn), certificate(platformCertificatePem)), DEFAULT_REPLAY_WINDOW);
		}

		/**
		 * These keys with one more platform certificate, the one WeChat is rotating in.
		 * @param sn its number
		 * @param certificatePem the certificate, X.509 PEM
		 * @return new keys
		 */
		public ApiSecurity withPlatformCertificate(String sn, String certificatePem) {
			Map<String, X509Certificate> certificates = new LinkedHashMap<>(this.platformCertificates);
			certificates.put(nonNull(sn), certificate(certificatePem));
			return new ApiSecurity(this.symmetricKey, this.symmetricKeySn, this.privateKey, certificates,
					this.replayWindow);
		}

		/**
		 * These keys with another replay window.
		 * @param replayWindow how far an answer's timestamp may be from now
		 * @return new keys
		 */
		public ApiSecurity withReplayWindow(Duration replayWindow) {
			return new ApiSecurity(this.symmetricKey, this.symmetricKeySn, this.privateKey, this.platformCertificates,
					replayWindow);
		}

		private static String nonNull(String sn) {
			if (sn == null) {
				throw new IllegalArgumentException("at least one platform certificate with its number is required");
			}
			return sn;
		}

		private static PrivateKey privateKey(String pem) {
			try {
				return PemKeys.rsaPrivateKey(pem);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("the private key " + ex.getMessage());
			}
		}

		private static X509Certificate certificate(String pem) {
			try {
				return PemKeys.rsaCertificate(pem);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("the platform certificate " + ex.getMessage());
			}
		}

		private static boolean isKey(String base64) {
			try {
				return Base64.getDecoder().decode(base64).length == ApiSecurityEnvelope.KEY_LENGTH;
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
		}

		@Override
		public String toString() {
			return "ApiSecurity[symmetricKey=******, symmetricKeySn=" + this.symmetricKeySn + ", privateKey=******"
					+ ", platformCertificates=" + this.platformCertificates.keySet() + ", replayWindow="
					+ this.replayWindow + "]";
		}

	}

}
