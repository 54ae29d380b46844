package io.github.wechatminiapp.session;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import io.github.wechatminiapp.crypto.OpenDataCipher;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;

/**
 * A user's WeChat session key: 16 bytes, Base64 on the wire. A secret:
 * {@link #toString()} never shows it and equality compares in constant time.
 */
public final class SessionKey {

	private static final int LENGTH = 16;

	private final byte[] bytes;

	private final SecretKeySpec aesKey;

	private SessionKey(byte[] bytes) {
		this.bytes = bytes;
		this.aesKey = new SecretKeySpec(bytes, "AES");
	}

	/**
	 * Reads a session key as jscode2session returns it.
	 * @param text 24 Base64 characters decoding to 16 bytes; damaged Base64 is repaired
	 * as {@link OpenDataCipher#repairBase64(String)} does
	 * @return the session key
	 * @throws OpenDataException with {@link Reason#ILLEGAL_AES_KEY} if the text is not
	 * such a key
	 */
	public static SessionKey ofBase64(String text) {
		try {
			return new SessionKey(OpenDataCipher.decodeSessionKey(text));
		}
		catch (OpenDataException ex) {
			// Whatever is wrong with it, it is not a key.
			throw new OpenDataException(Reason.ILLEGAL_AES_KEY);
		}
	}

	/**
	 * Wraps 16 key bytes.
	 * @param bytes the key bytes, copied
	 * @return the session key
	 */
	public static SessionKey ofBytes(byte[] bytes) {
		if (bytes == null || bytes.length != LENGTH) {
			throw new OpenDataException(Reason.ILLEGAL_AES_KEY);
		}
		return new SessionKey(bytes.clone());
	}

	/**
	 * Rebuilds a key kept as two numbers by a store (see {@link #high()} and
	 * {@link #low()}).
	 * @param high the first 8 bytes, big-endian
	 * @param low the last 8 bytes, big-endian
	 * @return the session key
	 */
	static SessionKey ofLongs(long high, long low) {
		byte[] bytes = new byte[LENGTH];
		for (int i = 0; i < 8; i++) {
			bytes[i] = (byte) (high >>> (56 - 8 * i));
			bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
		}
		return new SessionKey(bytes);
	}

	/**
	 * The first 8 key bytes as one number, so that a store can keep the key without an
	 * object of its own.
	 * @return the bytes 0 to 7, big-endian
	 */
	long high() {
		return bytesToLong(0);
	}

	/**
	 * The last 8 key bytes as one number.
	 * @return the bytes 8 to 15, big-endian
	 */
	long low() {
		return bytesToLong(8);
	}

	private long bytesToLong(int offset) {
		long value = 0;
		for (int i = offset; i < offset + 8; i++) {
			value = (value << 8) | (this.bytes[i] & 0xFF);
		}
		return value;
	}

	/**
	 * The key bytes.
	 * @return a copy of the 16 bytes
	 */
	public byte[] bytes() {
		return this.bytes.clone();
	}

	/**
	 * The key for AES, made once: decryption needs no copy of the bytes per call.
	 * @return the AES key
	 */
	public SecretKey aesKey() {
		return this.aesKey;
	}

	/**
	 * The key as WeChat sends it.
	 * @return 24 Base64 characters
	 */
	public String toBase64() {
		return Base64.getEncoder().encodeToString(this.bytes);
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof SessionKey that) && MessageDigest.isEqual(this.bytes, that.bytes);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.bytes);
	}

	@Override
	public String toString() {
		return "SessionKey[******]";
	}

}
