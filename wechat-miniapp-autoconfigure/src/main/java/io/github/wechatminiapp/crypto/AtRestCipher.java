package io.github.wechatminiapp.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets a store keeps (session keys, access tokens) at rest with AES-GCM. The
 * record's name (its Redis key) is authenticated with it, so a stored value cannot be
 * moved to another user or record. A stored value is the Base64 of a random 12-byte
 * nonce, the ciphertext and the 16-byte tag.
 */
public final class AtRestCipher {

	private static final int NONCE_LENGTH = 12;

	private static final int TAG_BITS = 128;

	private final SecretKeySpec key;

	private final SecureRandom random = new SecureRandom();

	/**
	 * Creates the cipher from a Base64 AES key.
	 * @param base64Key 16, 24 or 32 bytes, Base64
	 * @throws IllegalArgumentException if the key is not such a key; the message never
	 * shows it
	 */
	public AtRestCipher(String base64Key) {
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(base64Key.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("The encryption key is not valid Base64");
		}
		if (bytes.length != 16 && bytes.length != 24 && bytes.length != 32) {
			Arrays.fill(bytes, (byte) 0);
			throw new IllegalArgumentException("The encryption key must be 16, 24 or 32 bytes");
		}
		this.key = new SecretKeySpec(bytes, "AES");
		Arrays.fill(bytes, (byte) 0);
	}

	/**
	 * Encrypts a secret for the record it is stored under.
	 * @param plaintext the secret; left as it is (the caller wipes it)
	 * @param recordName what the value is stored under
	 * @return nonce, ciphertext and tag, Base64
	 */
	public String encrypt(byte[] plaintext, String recordName) {
		byte[] nonce = new byte[NONCE_LENGTH];
		this.random.nextBytes(nonce);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(recordName.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = new byte[NONCE_LENGTH + cipher.getOutputSize(plaintext.length)];
			System.arraycopy(nonce, 0, sealed, 0, NONCE_LENGTH);
			cipher.doFinal(plaintext, 0, plaintext.length, sealed, NONCE_LENGTH);
			return Base64.getEncoder().encodeToString(sealed);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is not available", ex);
		}
	}

	/**
	 * Decrypts what {@link #encrypt(byte[], String)} stored.
	 * @param stored the stored value
	 * @param recordName what the value is stored under
	 * @return the secret; the caller wipes it after use
	 * @throws IllegalArgumentException if the value was not made by this key for this
	 * record; the message never shows it
	 */
	public byte[] decrypt(String stored, String recordName) {
		try {
			byte[] sealed = Base64.getDecoder().decode(stored);
			if (sealed.length <= NONCE_LENGTH) {
				throw new IllegalArgumentException("Stored value is malformed");
			}
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_LENGTH));
			cipher.updateAAD(recordName.getBytes(StandardCharsets.UTF_8));
			return cipher.doFinal(sealed, NONCE_LENGTH, sealed.length - NONCE_LENGTH);
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			throw new IllegalArgumentException("Stored value could not be decrypted");
		}
	}

}
