package io.github.wechatminiapp.crypto;

import io.github.wechatminiapp.InvalidInputException;

/**
 * Open data (encryptedData/iv) could not be decrypted or was not accepted: the client's
 * input is at fault (400). The message is the same for every cause, and the same as that
 * of the {@link io.github.wechatminiapp.LoginRequiredException} a decryption ends in when
 * the user's key does not fit, so nothing about the key or the padding can be learnt from
 * outside; {@link #reason()} tells the server side what went wrong, for logs and metrics.
 * Refusing is as cheap as answering: no stack trace is filled in.
 */
public class OpenDataException extends InvalidInputException {

	private static final long serialVersionUID = 1L;

	/** The one message every decryption failure carries. */
	public static final String MESSAGE = "Open data could not be decrypted or verified";

	private final Reason reason;

	public OpenDataException(Reason reason) {
		this(reason, MESSAGE);
	}

	protected OpenDataException(Reason reason, String message) {
		super(message, false);
		this.reason = reason;
	}

	/**
	 * Why the data was rejected; for server-side logs and metrics only, never for the end
	 * user.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

	/**
	 * Why open data was rejected: what the bytes themselves show, whatever the session.
	 * Each reason maps to one of the error codes of WeChat's official
	 * {@code WXBizDataCrypt} samples, which finer reasons share. That the user's key does
	 * not fit, that no key is stored and that the failure budget is spent are not the
	 * data's fault: they are {@link io.github.wechatminiapp.LoginRequiredException.Reason
	 * reasons to log in again}.
	 */
	public enum Reason {

		/** The session key is not 24 Base64 characters decoding to 16 bytes. */
		ILLEGAL_AES_KEY(-41001),

		/** The iv is not 24 Base64 characters decoding to 16 bytes. */
		ILLEGAL_IV(-41002),

		/** The ciphertext is empty, too large, or not whole blocks. */
		ILLEGAL_BUFFER(-41003),

		/**
		 * The decrypted data does not end in valid PKCS#7 padding: wrong key or damaged
		 * data.
		 */
		BAD_PADDING(-41003),

		/**
		 * The data decrypted to JSON that is not a whole payload of the type asked for: a
		 * field missing, duplicated or inconsistent, or more than one JSON value (e.g. an
		 * iv tampered with, which garbles the first block).
		 */
		INVALID_PAYLOAD(-41003),

		/** The watermark names another app id, or none. */
		WATERMARK_APPID_MISMATCH(-41003),

		/**
		 * The watermark is older than the configured maximum age, or as far in the
		 * future.
		 */
		WATERMARK_EXPIRED(-41003),

		/** One of the inputs is not valid Base64. */
		DECODE_BASE64_ERROR(-41004),

		/**
		 * The data decrypted under the user's key names another user ({@code openId}):
		 * replayed or forged, never WeChat's doing.
		 */
		OPENID_MISMATCH(-41003);

		private final int officialCode;

		Reason(int officialCode) {
			this.officialCode = officialCode;
		}

		/**
		 * The matching error code of WeChat's official samples.
		 * @return -41001 to -41004
		 */
		public int officialCode() {
			return this.officialCode;
		}

		/**
		 * Whether the input itself is broken, whatever the key: not Base64, wrong
		 * lengths, not whole blocks.
		 * @return true for damaged input
		 */
		public boolean isDamagedInput() {
			return this == ILLEGAL_IV || this == ILLEGAL_BUFFER || this == DECODE_BASE64_ERROR;
		}

	}

}
