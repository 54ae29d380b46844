package io.github.wechatminiapp.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts session keys, and other secrets such as the access token, at rest with AES-GCM. The record's name (its
 * Redis key) is authenticated with it, so a stored value cannot be moved to another user or record.
 */
public final class SessionKeyEncryption {

	private static final int NONCE_LENGTH = 12;

	private static final int TAG_BITS = 128;

	private final SecretKeySpec key;

	private final SecureRandom random = new SecureRandom();

	/**
	 * Creates the encryption from a Base64 AES key.
	 * @param base64Key 16, 24 or 32 bytes, Base64
	 * @throws IllegalArgumentException if the key is not such a key; the message never shows it
	 */
	public SessionKeyEncryption(String base64Key) {
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(base64Key.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("The session key encryption key is not valid Base64");
		}
		if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
			throw new IllegalArgumentException("The session key encryption key must be 16, 24 or 32 bytes");
		}
		this.key = new SecretKeySpec(bytes, "AES");
		Arrays.fill(bytes, (byte) 0);
	}

	/**
	 * Encrypts a session key.
	 * @param sessionKey the key
	 * @param recordName what the value is stored under
	 * @return Base64 of nonce, ciphertext and tag
	 */
	public String encrypt(SessionKey sessionKey, String recordName) {
		byte[] nonce = new byte[NONCE_LENGTH];
		this.random.nextBytes(nonce);
		byte[] plaintext = sessionKey.bytes();
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(recordName.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(plaintext);
			return Base64.getEncoder()
				.encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is not available", ex);
		}
		finally {
			Arrays.fill(plaintext, (byte) 0);
		}
	}

	/**
	 * Decrypts a stored session key.
	 * @param stored what {@link #encrypt(SessionKey, String)} returned
	 * @param recordName what the value is stored under
	 * @return the session key
	 * @throws IllegalArgumentException if the value was not made by this key for this record
	 */
	public SessionKey decrypt(String stored, String recordName) {
		try {
			byte[] sealed = Base64.getDecoder().decode(stored);
			if (sealed.length <= NONCE_LENGTH) {
				throw new IllegalArgumentException("Stored session key is malformed");
			}
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_LENGTH));
			cipher.updateAAD(recordName.getBytes(StandardCharsets.UTF_8));
			byte[] plaintext = cipher.doFinal(sealed, NONCE_LENGTH, sealed.length - NONCE_LENGTH);
			try {
				return SessionKey.ofBytes(plaintext);
			}
			finally {
				Arrays.fill(plaintext, (byte) 0);
			}
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			throw new IllegalArgumentException("Stored session key could not be decrypted");
		}
	}

	/**
	 * Encrypts another secret kept beside the session keys, such as the access token.
	 * @param plaintext the secret
	 * @param recordName what the value is stored under
	 * @return Base64 of nonce, ciphertext and tag
	 */
	public String encryptText(String plaintext, String recordName) {
		byte[] nonce = new byte[NONCE_LENGTH];
		this.random.nextBytes(nonce);
		byte[] bytes = plaintext.getBytes(StandardCharsets.UTF_8);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(recordName.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(bytes);
			return Base64.getEncoder()
				.encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is not available", ex);
		}
		finally {
			Arrays.fill(bytes, (byte) 0);
		}
	}

	/**
	 * Decrypts what {@link #encryptText(String, String)} stored.
	 * @param stored the stored value
	 * @param recordName what the value is stored under
	 * @return the secret
	 * @throws IllegalArgumentException if the value was not made by this key for this record; the message never
	 * shows it
	 */
	public String decryptText(String stored, String recordName) {
		try {
			byte[] sealed = Base64.getDecoder().decode(stored);
			if (sealed.length <= NONCE_LENGTH) {
				throw new IllegalArgumentException("Stored value is malformed");
			}
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_LENGTH));
			cipher.updateAAD(recordName.getBytes(StandardCharsets.UTF_8));
			byte[] plaintext = cipher.doFinal(sealed, NONCE_LENGTH, sealed.length - NONCE_LENGTH);
			try {
				return new String(plaintext, StandardCharsets.UTF_8);
			}
			finally {
				Arrays.fill(plaintext, (byte) 0);
			}
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			throw new IllegalArgumentException("Stored value could not be decrypted");
		}
	}

}
