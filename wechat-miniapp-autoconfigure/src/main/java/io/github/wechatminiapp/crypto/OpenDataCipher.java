package io.github.wechatminiapp.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReferenceArray;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import org.jspecify.annotations.Nullable;

/**
 * Decrypts WeChat open data: AES-128-CBC, PKCS#7 padding, key = Base64-decoded session
 * key. Pure functions, no I/O. Every failure is an {@link OpenDataException} with the
 * same message.
 * <p>
 * Base64 damaged in the usual ways on its way from the client is repaired first (see
 * {@link #repairBase64(String)}); anything else that is not Base64 is rejected.
 */
public final class OpenDataCipher {

	/**
	 * Longest {@code encryptedData} accepted, in Base64 characters; WeChat's payloads are
	 * far shorter.
	 */
	public static final int MAX_ENCRYPTED_DATA_LENGTH = 32 * 1024;

	private static final int BLOCK_SIZE = 16;

	private static final int BASE64_BLOCK_LENGTH = 24;

	/**
	 * Ciphers for reuse, one slot per stripe of threads: looking a cipher up costs more
	 * than decrypting a phone number. Each is initialised afresh with the user's key and
	 * iv before use. A pooled cipher keeps its last key schedule, as a discarded one
	 * would until the garbage collector reclaims it.
	 */
	private static final AtomicReferenceArray<Cipher> CIPHERS = new AtomicReferenceArray<>(
			Integer.highestOneBit(Math.max(4, 4 * Runtime.getRuntime().availableProcessors()) * 2 - 1));

	private OpenDataCipher() {
	}

	/**
	 * Decrypts open data.
	 * @param sessionKeyBase64 the user's session key as jscode2session returned it
	 * @param encryptedDataBase64 {@code encryptedData} from the client
	 * @param ivBase64 {@code iv} from the client
	 * @return the plaintext bytes (UTF-8 JSON for WeChat's payloads)
	 * @throws OpenDataException if any input is malformed or the padding is wrong
	 */
	public static byte[] decrypt(String sessionKeyBase64, String encryptedDataBase64, String ivBase64) {
		byte[] key = decodeSessionKey(sessionKeyBase64);
		return decrypt(key, encryptedDataBase64, ivBase64);
	}

	/**
	 * Decrypts open data with a key already decoded.
	 * @param key the 16 key bytes
	 * @param encryptedDataBase64 {@code encryptedData} from the client
	 * @param ivBase64 {@code iv} from the client
	 * @return the plaintext bytes
	 * @throws OpenDataException if any input is malformed or the padding is wrong
	 */
	public static byte[] decrypt(byte[] key, String encryptedDataBase64, String ivBase64) {
		if (key == null || key.length != BLOCK_SIZE) {
			throw new OpenDataException(Reason.ILLEGAL_AES_KEY);
		}
		return decrypt(new SecretKeySpec(key, "AES"), encryptedDataBase64, ivBase64);
	}

	/**
	 * Decrypts open data with a key already decoded and wrapped, as a session-key store
	 * can keep it.
	 * @param key a 16-byte AES key
	 * @param encryptedDataBase64 {@code encryptedData} from the client
	 * @param ivBase64 {@code iv} from the client
	 * @return the plaintext bytes
	 * @throws OpenDataException if any input is malformed or the padding is wrong
	 */
	public static byte[] decrypt(SecretKey key, String encryptedDataBase64, String ivBase64) {
		byte[] encoded = (key != null) ? key.getEncoded() : null;
		if (encoded == null || encoded.length != BLOCK_SIZE || !"AES".equals(key.getAlgorithm())) {
			throw new OpenDataException(Reason.ILLEGAL_AES_KEY);
		}
		Arrays.fill(encoded, (byte) 0);
		byte[] iv = decodeIv(ivBase64);
		byte[] ciphertext = decodeEncryptedData(encryptedDataBase64);
		return decryptBytes(key, iv, ciphertext);
	}

	/**
	 * Decodes an {@code iv} as the client sent it, repairing damaged Base64 as
	 * {@link #repairBase64(String)} does; before any key is used, so that broken input
	 * costs no decryption.
	 * @param ivBase64 24 Base64 characters
	 * @return the 16 iv bytes
	 * @throws OpenDataException with {@link Reason#ILLEGAL_IV} for a wrong length or
	 * {@link Reason#DECODE_BASE64_ERROR} for text that is not Base64
	 */
	public static byte[] decodeIv(String ivBase64) {
		return decodeBlock(ivBase64, Reason.ILLEGAL_IV);
	}

	/**
	 * Decodes an {@code encryptedData} as the client sent it, repairing damaged Base64;
	 * before any key is used.
	 * @param encryptedDataBase64 at most {@link #MAX_ENCRYPTED_DATA_LENGTH} Base64
	 * characters
	 * @return the ciphertext bytes, whole blocks
	 * @throws OpenDataException with {@link Reason#ILLEGAL_BUFFER} when empty, too large
	 * or not whole blocks, or {@link Reason#DECODE_BASE64_ERROR} for text that is not
	 * Base64
	 */
	public static byte[] decodeEncryptedData(String encryptedDataBase64) {
		if (encryptedDataBase64 == null || encryptedDataBase64.isEmpty()
				|| encryptedDataBase64.length() > MAX_ENCRYPTED_DATA_LENGTH) {
			throw new OpenDataException(Reason.ILLEGAL_BUFFER);
		}
		byte[] ciphertext = decodeBase64(encryptedDataBase64);
		if (ciphertext.length == 0 || ciphertext.length % BLOCK_SIZE != 0) {
			throw new OpenDataException(Reason.ILLEGAL_BUFFER);
		}
		return ciphertext;
	}

	/**
	 * Decrypts raw bytes: AES-128-CBC with a strict PKCS#7 check.
	 * @param key 16 key bytes
	 * @param iv 16 iv bytes
	 * @param ciphertext whole blocks of ciphertext
	 * @return the plaintext without padding
	 * @throws OpenDataException if the lengths or the padding are wrong
	 */
	public static byte[] decryptBytes(byte[] key, byte[] iv, byte[] ciphertext) {
		if (key.length != BLOCK_SIZE) {
			throw new OpenDataException(Reason.ILLEGAL_AES_KEY);
		}
		return decryptBytes(new SecretKeySpec(key, "AES"), iv, ciphertext);
	}

	/**
	 * Decrypts raw bytes with a key a session-key store keeps wrapped: AES-128-CBC with a
	 * strict PKCS#7 check. The inputs are left as they were, so that the same ciphertext
	 * can be tried under another key.
	 * @param key a 16-byte AES key
	 * @param iv 16 iv bytes
	 * @param ciphertext whole blocks of ciphertext
	 * @return the plaintext without padding
	 * @throws OpenDataException if the lengths or the padding are wrong
	 */
	public static byte[] decryptBytes(SecretKey key, byte[] iv, byte[] ciphertext) {
		if (iv.length != BLOCK_SIZE) {
			throw new OpenDataException(Reason.ILLEGAL_IV);
		}
		if (ciphertext.length == 0 || ciphertext.length % BLOCK_SIZE != 0) {
			throw new OpenDataException(Reason.ILLEGAL_BUFFER);
		}
		byte[] padded;
		int slot = (int) Thread.currentThread().getId() & (CIPHERS.length() - 1);
		Cipher cipher = CIPHERS.getAndSet(slot, null);
		try {
			if (cipher == null) {
				// NoPadding, so the padding check is ours: strict and free of early
				// exits.
				cipher = Cipher.getInstance("AES/CBC/NoPadding");
			}
			cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(iv));
			padded = cipher.doFinal(ciphertext);
		}
		catch (GeneralSecurityException ex) {
			throw new OpenDataException(Reason.ILLEGAL_BUFFER);
		}
		finally {
			if (cipher != null) {
				CIPHERS.lazySet(slot, cipher);
			}
		}
		int padLength = paddingLength(padded);
		if (padLength < 0) {
			Arrays.fill(padded, (byte) 0);
			throw new OpenDataException(Reason.BAD_PADDING);
		}
		byte[] plaintext = Arrays.copyOf(padded, padded.length - padLength);
		Arrays.fill(padded, (byte) 0);
		return plaintext;
	}

	/**
	 * Reads PKCS#7 padding of a block size of 16 in time independent of where it goes
	 * wrong.
	 * @param padded the decrypted bytes, a whole number of blocks
	 * @return the padding length, or -1 when the padding is invalid
	 */
	static int paddingLength(byte[] padded) {
		int last = padded[padded.length - 1] & 0xff;
		int bad = 0;
		// 1..16 only; computed without branching on the value.
		bad |= ((last - 1) >>> 31);
		bad |= ((BLOCK_SIZE - last) >>> 31);
		for (int i = 1; i <= BLOCK_SIZE; i++) {
			int b = padded[padded.length - i] & 0xff;
			// Inside the padding when i <= last: the byte must equal last.
			int inPadding = ((i - last - 1) >>> 31);
			bad |= inPadding & (((b ^ last) + 0xff) >>> 8);
		}
		return (bad == 0) ? last : -1;
	}

	/**
	 * Undoes the damage Base64 commonly suffers between the mini program and the server:
	 * a space is a {@code +} turned into a space by URL decoding (a space is never valid
	 * Base64), line breaks are dropped, and the URL-safe alphabet ({@code -} and
	 * {@code _}) is read as the standard one. Everything else is left alone, to be
	 * rejected by the decoder.
	 * @param base64 the text as received, may be null
	 * @return the repaired text, the same instance when nothing needed repair
	 */
	@Nullable public static String repairBase64(@Nullable String base64) {
		if (base64 == null) {
			return null;
		}
		boolean damaged = false;
		for (int i = 0; i < base64.length() && !damaged; i++) {
			char c = base64.charAt(i);
			damaged = c == ' ' || c == '\r' || c == '\n' || c == '-' || c == '_';
		}
		if (!damaged) {
			return base64;
		}
		StringBuilder repaired = new StringBuilder(base64.length());
		for (int i = 0; i < base64.length(); i++) {
			char c = base64.charAt(i);
			switch (c) {
				case ' ', '-' -> repaired.append('+');
				case '_' -> repaired.append('/');
				case '\r', '\n' -> {
				}
				default -> repaired.append(c);
			}
		}
		return repaired.toString();
	}

	/**
	 * Decodes a session key as jscode2session returns it, repairing damaged Base64 as
	 * {@link #repairBase64(String)} does.
	 * @param sessionKeyBase64 24 Base64 characters
	 * @return the 16 key bytes
	 * @throws OpenDataException with {@link Reason#ILLEGAL_AES_KEY} for a wrong length or
	 * {@link Reason#DECODE_BASE64_ERROR} for text that is not Base64
	 */
	public static byte[] decodeSessionKey(String sessionKeyBase64) {
		return decodeBlock(sessionKeyBase64, Reason.ILLEGAL_AES_KEY);
	}

	private static byte[] decodeBlock(String text, Reason reason) {
		// 24 characters, with room for the line breaks repair removes; longer is not
		// worth decoding.
		if (text == null || text.length() < BASE64_BLOCK_LENGTH || text.length() > 2 * BASE64_BLOCK_LENGTH) {
			throw new OpenDataException(reason);
		}
		byte[] decoded = decodeBase64(text);
		if (decoded.length != BLOCK_SIZE) {
			throw new OpenDataException(reason);
		}
		return decoded;
	}

	/**
	 * Strict decoding first: repair is for the rare damaged input, not a cost on every
	 * call.
	 * @param base64 the text WeChat or the client sent
	 * @return the decoded bytes
	 */
	private static byte[] decodeBase64(String base64) {
		try {
			return Base64.getDecoder().decode(base64);
		}
		catch (IllegalArgumentException ex) {
			String repaired = repairBase64(base64);
			if (repaired == base64) {
				throw new OpenDataException(Reason.DECODE_BASE64_ERROR);
			}
			try {
				return Base64.getDecoder().decode(repaired);
			}
			catch (IllegalArgumentException stillBroken) {
				throw new OpenDataException(Reason.DECODE_BASE64_ERROR);
			}
		}
	}

}
