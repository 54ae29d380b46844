package io.github.wechatminiapp.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signatures WeChat uses around the session key. Comparisons run in constant time.
 */
public final class OpenDataSignatures {

	private static final HexFormat HEX = HexFormat.of();

	private OpenDataSignatures() {
	}

	/**
	 * Checks the {@code signature} that comes with {@code rawData} (user info):
	 * {@code hex(sha1(rawData + sessionKey))}.
	 * @param rawData the raw data as the client sent it
	 * @param sessionKeyBase64 the session key as jscode2session returned it
	 * @param signature the signature the client sent
	 * @return whether the signature matches
	 */
	public static boolean isRawDataSignatureValid(String rawData, String sessionKeyBase64, String signature) {
		if (rawData == null || sessionKeyBase64 == null || signature == null) {
			return false;
		}
		byte[] expected = HEX.formatHex(sha1((rawData + sessionKeyBase64).getBytes(StandardCharsets.UTF_8)))
			.getBytes(StandardCharsets.US_ASCII);
		return MessageDigest.isEqual(expected, signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The signature wxa/checksession and wxa/resetusersessionkey expect:
	 * {@code hex(hmac_sha256(key = UTF-8 bytes of the session key text, message = ""))}.
	 * @param sessionKeyBase64 the session key as jscode2session returned it
	 * @return the lowercase hex signature
	 */
	public static String sessionKeySignature(String sessionKeyBase64) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(sessionKeyBase64.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HEX.formatHex(mac.doFinal(new byte[0]));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	private static byte[] sha1(byte[] input) {
		try {
			return MessageDigest.getInstance("SHA-1").digest(input);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("SHA-1 is not available", ex);
		}
	}

}
