package io.github.wechatminiapp.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256-GCM envelope of WeChat's API security mode ("服务端 API 签名与加密"): a body
 * {@code {"iv", "data", "authtag"}}, each Base64, authenticated with the additional data
 * {@code urlpath|appid|timestamp|sn}. Pure functions, JDK only.
 *
 * @param iv Base64 of the 12-byte nonce
 * @param data Base64 of the ciphertext
 * @param authtag Base64 of the 16-byte GCM tag
 */
public record ApiSecurityEnvelope(String iv, String data, String authtag) {

	/** The length of an AES-256 key. */
	public static final int KEY_LENGTH = 32;

	private static final int IV_LENGTH = 12;

	private static final int TAG_LENGTH = 16;

	/**
	 * Longest {@code data} opened, in Base64 characters; an answer of WeChat's is a few
	 * hundred bytes.
	 */
	public static final int MAX_DATA_LENGTH = 64 * 1024;

	private static final SecureRandom RANDOM = new SecureRandom();

	/**
	 * The additional authenticated data of a request or an answer.
	 * @param urlPath the URL with scheme and host, without the query
	 * @param appId the app id
	 * @param timestamp the {@code Wechatmp-TimeStamp}, in seconds
	 * @param sn the symmetric key's number
	 * @return {@code urlpath|appid|timestamp|sn}
	 */
	public static String aad(String urlPath, String appId, long timestamp, String sn) {
		return urlPath + "|" + appId + "|" + timestamp + "|" + sn;
	}

	/**
	 * Encrypts under a fresh random nonce.
	 * @param key the 32-byte symmetric key
	 * @param aad the additional authenticated data
	 * @param plaintext the JSON to send
	 * @return the envelope
	 */
	public static ApiSecurityEnvelope seal(byte[] key, String aad, byte[] plaintext) {
		byte[] iv = new byte[IV_LENGTH];
		RANDOM.nextBytes(iv);
		return seal(key, iv, aad, plaintext);
	}

	static ApiSecurityEnvelope seal(byte[] key, byte[] iv, String aad, byte[] plaintext) {
		try {
			byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key, iv, aad).doFinal(plaintext);
			int dataLength = sealed.length - TAG_LENGTH;
			Base64.Encoder base64 = Base64.getEncoder();
			return new ApiSecurityEnvelope(base64.encodeToString(iv),
					base64.encodeToString(Arrays.copyOf(sealed, dataLength)),
					base64.encodeToString(Arrays.copyOfRange(sealed, dataLength, sealed.length)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-256-GCM is unavailable", ex);
		}
	}

	/**
	 * Decrypts and authenticates. Every failure (a field that is not Base64, a nonce or
	 * tag of the wrong length, a wrong key, tampered data or additional data) has the
	 * same outcome.
	 * @param key the 32-byte symmetric key
	 * @param aad the additional authenticated data
	 * @return the plaintext, or empty when anything is wrong
	 */
	public Optional<byte[]> open(byte[] key, String aad) {
		if (this.iv == null || this.data == null || this.authtag == null || this.data.length() > MAX_DATA_LENGTH) {
			return Optional.empty();
		}
		try {
			Base64.Decoder base64 = Base64.getDecoder();
			byte[] nonce = base64.decode(this.iv);
			byte[] tag = base64.decode(this.authtag);
			if (nonce.length != IV_LENGTH || tag.length != TAG_LENGTH) {
				return Optional.empty();
			}
			Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce, aad);
			cipher.update(base64.decode(this.data));
			return Optional.of(cipher.doFinal(tag));
		}
		catch (IllegalArgumentException | GeneralSecurityException ex) {
			return Optional.empty();
		}
	}

	/**
	 * The envelope as the JSON body WeChat takes.
	 * @return {@code {"iv":...,"data":...,"authtag":...}}
	 */
	public String toJson() {
		// Base64 needs no escaping in a JSON string.
		return "{\"iv\":\"" + this.iv + "\",\"data\":\"" + this.data + "\",\"authtag\":\"" + this.authtag + "\"}";
	}

	private static Cipher cipher(int mode, byte[] key, byte[] iv, String aad) throws GeneralSecurityException {
		if (key == null || key.length != KEY_LENGTH) {
			throw new IllegalArgumentException("the symmetric key must be 32 bytes");
		}
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, iv));
		cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
		return cipher;
	}

	@Override
	public String toString() {
		return "ApiSecurityEnvelope[iv=" + this.iv + ", data=(" + ((this.data != null) ? this.data.length() : 0)
				+ " characters)]";
	}

}
