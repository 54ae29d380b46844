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
		super(MESSAGE);
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
		return this.reason == Reason.STALE_SESSION_KEY;
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

		/** The plaintext is not the JSON document expected. */
		INVALID_PAYLOAD(-41003),

		/**
		 * Well-formed data that does not decrypt to a payload under the user's stored session key: WeChat most
		 * likely rotated the key (the client called {@code wx.login} again), so the user must log in again.
		 */
		STALE_SESSION_KEY(-41003),

		/** The watermark names another app id, or none. */
		WATERMARK_APPID_MISMATCH(-41003),

		/** The watermark is older than the configured maximum age. */
		WATERMARK_EXPIRED(-41003),

		/** One of the inputs is not valid Base64. */
		DECODE_BASE64_ERROR(-41004);

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

	}

}
