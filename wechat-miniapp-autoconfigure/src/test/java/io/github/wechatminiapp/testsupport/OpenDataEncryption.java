package io.github.wechatminiapp.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Open data encrypted as WeChat encrypts it, with the JDK's own AES/CBC/PKCS5Padding: the
 * reference the starter's decryption is tested against.
 */
public final class OpenDataEncryption {

	private OpenDataEncryption() {
	}

	/**
	 * The {@code encryptedData} of a plaintext.
	 * @param key the 16-byte session key
	 * @param iv the 16-byte iv
	 * @param plaintext the payload, encoded as UTF-8
	 * @return the ciphertext, Base64
	 */
	public static String encrypt(byte[] key, byte[] iv, String plaintext) {
		try {
			Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
			cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
			return Base64.getEncoder().encodeToString(cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
