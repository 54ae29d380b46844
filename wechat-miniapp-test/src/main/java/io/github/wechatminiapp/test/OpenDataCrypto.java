package io.github.wechatminiapp.test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * WeChat's side of the open-data scheme: encryption with the session key and the
 * session-key signature.
 */
final class OpenDataCrypto {

	private OpenDataCrypto() {
	}

	static EncryptedData encrypt(String sessionKeyBase64, byte[] plaintext) {
		byte[] iv = SandboxRandom.bytes(16);
		try {
			// The JDK's "PKCS5Padding" is PKCS#7 for a 16-byte block, which is what
			// WeChat uses.
			Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
			cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(sessionKeyBase64), "AES"),
					new IvParameterSpec(iv));
			Base64.Encoder base64 = Base64.getEncoder();
			return new EncryptedData(base64.encodeToString(cipher.doFinal(plaintext)), base64.encodeToString(iv));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-128-CBC is not available", ex);
		}
	}

	/**
	 * The key is the session key text, not its decoded bytes: that is what the common
	 * SDKs sign with, so it is what a compatible server must accept.
	 * @param sessionKeyBase64 the session key, Base64 as WeChat hands it out
	 * @return the HMAC-SHA256 of an empty message, in hex
	 */
	static String signature(String sessionKeyBase64) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(sessionKeyBase64.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(new byte[0]));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/**
	 * Constant time, so the sandbox does not model a timing oracle that clients might
	 * come to rely on.
	 * @param sessionKeyBase64 the session key, Base64, or {@code null}
	 * @param signature the signature presented, or {@code null}
	 * @return whether the signature is the session key's
	 */
	static boolean signatureMatches(@Nullable String sessionKeyBase64, @Nullable String signature) {
		if (sessionKeyBase64 == null || signature == null) {
			return false;
		}
		return MessageDigest.isEqual(signature(sessionKeyBase64).getBytes(StandardCharsets.UTF_8),
				signature.getBytes(StandardCharsets.UTF_8));
	}

}
