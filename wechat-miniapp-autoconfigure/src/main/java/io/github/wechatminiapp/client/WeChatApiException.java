package io.github.wechatminiapp.client;

import java.util.Optional;

import io.github.wechatminiapp.WeChatMiniAppException;

/**
 * WeChat answered with a non-zero {@code errcode}.
 */
public class WeChatApiException extends WeChatMiniAppException {

	private static final long serialVersionUID = 1L;

	private static final int MAX_ERRMSG_LENGTH = 200;

	private final WeChatApi api;

	private final int errcode;

	private final String errmsg;

	public WeChatApiException(WeChatApi api, int errcode, String errmsg) {
		super(message(api, errcode, errmsg));
		this.api = api;
		this.errcode = errcode;
		this.errmsg = truncate(errmsg);
	}

	private static String message(WeChatApi api, int errcode, String errmsg) {
		String meaning = WeChatErrorCode.of(errcode).map(WeChatErrorCode::meaning).orElse("unknown error");
		return "WeChat " + api.apiName() + " failed with errcode " + errcode + " (" + meaning + "): "
				+ truncate(errmsg);
	}

	private static String truncate(String errmsg) {
		if (errmsg == null) {
			return "";
		}
		return (errmsg.length() <= MAX_ERRMSG_LENGTH) ? errmsg : errmsg.substring(0, MAX_ERRMSG_LENGTH);
	}

	/**
	 * The API that failed.
	 * @return the API
	 */
	public WeChatApi api() {
		return this.api;
	}

	/**
	 * WeChat's errcode.
	 * @return the errcode
	 */
	public int errcode() {
		return this.errcode;
	}

	/**
	 * WeChat's errmsg, at most 200 characters.
	 * @return the errmsg
	 */
	public String errmsg() {
		return this.errmsg;
	}

	/**
	 * The known meaning of the errcode.
	 * @return the error code, or empty when the starter does not know it
	 */
	public Optional<WeChatErrorCode> errorCode() {
		return WeChatErrorCode.of(this.errcode);
	}

	/**
	 * The {@code rid} WeChat puts at the end of its errmsg ({@code "... rid: 6543abcd-..."}), which WeChat's support
	 * asks for; no secret.
	 * @return the rid, or empty when the errmsg has none
	 */
	public Optional<String> rid() {
		int at = this.errmsg.lastIndexOf("rid:");
		if (at < 0) {
			return Optional.empty();
		}
		String rid = this.errmsg.substring(at + 4).strip();
		return rid.isEmpty() ? Optional.empty() : Optional.of(rid);
	}

	/**
	 * What the caller must do about this refusal.
	 * @return the category
	 */
	public Category category() {
		return errorCode().map(WeChatErrorCode::category).orElse(Category.UNKNOWN);
	}

	/**
	 * What the caller must do about a refusal, one type per decision.
	 */
	public enum Category {

		/** The client's input was refused (a bad or used code, a mismatched openid): HTTP 400. */
		CLIENT,

		/** WeChat is busy or throttling: retry later (HTTP 503, or 429 for a frequency limit). */
		RETRY,

		/** This server's configuration is refused (app id, secret, IP allow list): an operator must act. */
		CONFIGURATION,

		/** The access token was refused: fetch a new one and retry once. */
		TOKEN,

		/** An errcode the starter does not know: HTTP 502. */
		UNKNOWN

	}

	/**
	 * Whether the same request may succeed later.
	 * @return whether retryable
	 */
	public boolean isRetryable() {
		return errorCode().map(WeChatErrorCode::retryable).orElse(false);
	}

}
