package io.github.wechatminiapp.client;

import io.github.wechatminiapp.WeChatMiniAppException;

/**
 * An answer of WeChat's failed the API security check (signature, serial, app id,
 * timestamp or envelope): its data was discarded, never used as plaintext. Either the
 * keys are misconfigured or something between this server and WeChat altered the answer;
 * retrying does not help, so it maps to HTTP 502 (bad gateway). The message names the API
 * and the reason, never a key, a signature or the answer's data.
 */
public class WeChatApiSecurityException extends WeChatMiniAppException {

	private static final long serialVersionUID = 1L;

	private final WeChatApi api;

	private final Reason reason;

	public WeChatApiSecurityException(WeChatApi api, Reason reason, String detail) {
		super("WeChat " + api.apiName() + " answer refused by the API security check: " + reason.description
				+ ((detail != null) ? " (" + detail + ")" : ""));
		this.api = api;
		this.reason = reason;
	}

	/**
	 * The API whose answer was refused.
	 * @return the API
	 */
	public WeChatApi api() {
		return this.api;
	}

	/**
	 * Why the answer was refused, for a metric or an alert.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

	/**
	 * Why an answer was refused.
	 */
	public enum Reason {

		/**
		 * The answer lacks the signature headers: WeChat refused the request, or API
		 * security is off there.
		 */
		UNSIGNED("the answer is not signed"),

		/** {@code Wechatmp-Appid} is not this app. */
		FOREIGN_APPID("the answer is for another app"),

		/** {@code Wechatmp-Serial} names no configured platform certificate. */
		UNKNOWN_SERIAL("the answer is signed with an unknown platform certificate"),

		/** The signature does not verify with the platform certificate. */
		BAD_SIGNATURE("the signature is invalid"),

		/** {@code Wechatmp-TimeStamp} is outside the replay window. */
		STALE_TIMESTAMP("the timestamp is outside the replay window"),

		/**
		 * The envelope is malformed or does not decrypt under the symmetric key and the
		 * expected data.
		 */
		UNDECRYPTABLE("the envelope does not decrypt"),

		/**
		 * The decrypted {@code _appid} or {@code _timestamp} differs from the signed
		 * headers.
		 */
		PAYLOAD_MISMATCH("the decrypted app id or timestamp differs from the headers");

		private final String description;

		Reason(String description) {
			this.description = description;
		}

		/**
		 * What the reason means, for a log line.
		 * @return a short description
		 */
		public String description() {
			return this.description;
		}

	}

}
