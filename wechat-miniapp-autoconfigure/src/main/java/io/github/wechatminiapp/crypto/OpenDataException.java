package io.github.wechatminiapp.crypto;

import io.github.wechatminiapp.WeChatMiniAppException;

/**
 * Open data (encryptedData/iv) could not be decrypted or was not accepted. The message is the same for every
 * cause, so nothing about the key or the padding can be learnt from outside; {@link #reason()} tells the server
 * side what went wrong, for logs and metrics.
 */
public class OpenDataException extends WeChatMiniAppException {

	private static final long serialVersionUID = 1L;

	/** The one message every decryption failure carries. */
	public static final String MESSAGE = "Open data could not be decrypted or verified";

	private final Reason reason;

	public OpenDataException(Reason reason) {
		this(reason, MESSAGE);
	}

	protected OpenDataException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	/**
	 * Why the data was rejected; for server-side logs and metrics only, never for the end user.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

	/**
	 * Whether the mini program should log the user in again ({@code wx.login}, then your login endpoint) before
	 * asking for the phone number again.
	 * @return true when the stored session key does not fit the data
	 */
	public boolean isLoginRequired() {
		return this.reason.isLoginRequired();
	}

	/**
	 * Why open data was rejected. Each reason maps to one of the error codes of WeChat's official
	 * {@code WXBizDataCrypt} samples, which finer reasons share.
	 */
	public enum Reason {

		/** The session key is not 24 Base64 characters decoding to 16 bytes. */
		ILLEGAL_AES_KEY(-41001),

		/** The iv is not 24 Base64 characters decoding to 16 bytes. */
		ILLEGAL_IV(-41002),

		/** The ciphertext is empty, too large, or not whole blocks. */
		ILLEGAL_BUFFER(-41003),

		/** The decrypted data does not end in valid PKCS#7 padding: wrong key or damaged data. */
		BAD_PADDING(-41003),

		/**
		 * The data decrypted to JSON that is not a whole payload of the type asked for: a field missing, duplicated or
		 * inconsistent, or more than one JSON value (e.g. an iv tampered with, which garbles the first block).
		 */
		INVALID_PAYLOAD(-41003),

		/**
		 * Well-formed data that decrypts to a payload under none of the user's stored session keys: it was made
		 * with a key the server never saw (the client called {@code wx.login} again, maybe inside the phone
		 * callback), so the user must log in again.
		 */
		STALE_SESSION_KEY(-41003),

		/** No session key is stored for the user: the user must log in again. */
		NO_SESSION_KEY(-41001),

		/** The watermark names another app id, or none. */
		WATERMARK_APPID_MISMATCH(-41003),

		/** The watermark is older than the configured maximum age, or as far in the future. */
		WATERMARK_EXPIRED(-41003),

		/** One of the inputs is not valid Base64. */
		DECODE_BASE64_ERROR(-41004),

		/**
		 * The user's open data was rejected too often under the stored session keys (a padding-oracle attack looks
		 * like this): the keys were dropped, so the user must log in again.
		 */
		FAILURE_BUDGET_EXHAUSTED(-41001),

		/**
		 * The data decrypted under the user's key names another user ({@code openId}): replayed or forged, never
		 * WeChat's doing.
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
		 * Whether the user must log in again before the phone number can be read.
		 * @return true for {@link #NO_SESSION_KEY}, {@link #STALE_SESSION_KEY} and {@link #FAILURE_BUDGET_EXHAUSTED}
		 */
		public boolean isLoginRequired() {
			return this == NO_SESSION_KEY || this == STALE_SESSION_KEY || this == FAILURE_BUDGET_EXHAUSTED;
		}

		/**
		 * Whether the input itself is broken, whatever the key: not Base64, wrong lengths, not whole blocks.
		 * @return true for damaged input
		 */
		public boolean isDamagedInput() {
			return this == ILLEGAL_IV || this == ILLEGAL_BUFFER || this == DECODE_BASE64_ERROR;
		}

	}

}
