package io.github.wechatminiapp.client;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.wechatminiapp.WeChatMiniAppException;

/**
 * WeChat refused a request with a non-zero {@code errcode}. Says what the caller must do
 * through {@link #category()}; carries WeChat's {@link #errcode()}, {@link #errmsg()} and
 * the {@link #rid()} WeChat's support asks for. The message holds all three and never the
 * app secret, an access token or a code.
 */
public class WeChatApiException extends WeChatMiniAppException {

	private static final long serialVersionUID = 1L;

	private static final int MAX_ERRMSG_LENGTH = 200;

	/** WeChat ends every errmsg with {@code ", rid: 6613a5c3-1b2f0c3d-4a5b6c7d"}. */
	private static final Pattern RID = Pattern.compile("rid:\\s*([0-9A-Za-z-]{1,64})");

	private final WeChatApi api;

	private final int errcode;

	private final String errmsg;

	private final String rid;

	private final Category category;

	/**
	 * Creates the exception, its category looked up in the {@link WeChatErrorCode
	 * catalogue}.
	 * @param api the API that refused
	 * @param errcode the errcode WeChat answered
	 * @param errmsg the errmsg WeChat answered, or {@code null}
	 */
	public WeChatApiException(WeChatApi api, int errcode, String errmsg) {
		this(api, errcode, errmsg, categoryOf(api, errcode));
	}

	/**
	 * Creates the exception with a category the API's context decides, such as a bound
	 * phone code refused for a reason WeChat does not document, which is the client's
	 * code refused whatever its errcode.
	 * @param api the API that refused
	 * @param errcode the errcode WeChat answered
	 * @param errmsg the errmsg WeChat answered, or {@code null}
	 * @param category what the caller must do
	 */
	public WeChatApiException(WeChatApi api, int errcode, String errmsg, Category category) {
		this(api, errcode, clean(errmsg), category, ridOf(errmsg));
	}

	private WeChatApiException(WeChatApi api, int errcode, String errmsg, Category category, String rid) {
		super(message(api, errcode, errmsg, category, rid));
		this.api = api;
		this.errcode = errcode;
		this.errmsg = errmsg;
		this.category = category;
		this.rid = rid;
	}

	private static Category categoryOf(WeChatApi api, int errcode) {
		return WeChatErrorCode.of(errcode).map((code) -> code.category(api)).orElse(Category.UNKNOWN);
	}

	private static String message(WeChatApi api, int errcode, String errmsg, Category category, String rid) {
		String meaning = WeChatErrorCode.of(errcode).map(WeChatErrorCode::meaning).orElse("unknown errcode");
		return "WeChat " + api.apiName() + " refused: errcode=" + errcode + " (" + meaning + "), category=" + category
				+ ", rid=" + ((rid != null) ? rid : "none") + ", errmsg=\"" + errmsg + "\"";
	}

	/**
	 * The rid of the whole errmsg, before it is cut to length.
	 * @param errmsg the errmsg WeChat answered, or {@code null}
	 * @return the rid, or {@code null} when the errmsg has none
	 */
	private static String ridOf(String errmsg) {
		if (errmsg == null) {
			return null;
		}
		Matcher matcher = RID.matcher(errmsg);
		String rid = null;
		while (matcher.find()) {
			rid = matcher.group(1);
		}
		return rid;
	}

	/**
	 * At most 200 characters, no line breaks or other control characters that could forge
	 * a log line.
	 * @param errmsg the errmsg WeChat answered, or {@code null}
	 * @return the errmsg safe to log, empty for {@code null}
	 */
	private static String clean(String errmsg) {
		if (errmsg == null) {
			return "";
		}
		String cut = (errmsg.length() <= MAX_ERRMSG_LENGTH) ? errmsg : errmsg.substring(0, MAX_ERRMSG_LENGTH);
		StringBuilder clean = new StringBuilder(cut.length());
		for (int i = 0; i < cut.length(); i++) {
			char c = cut.charAt(i);
			clean.append(Character.isISOControl(c) ? ' ' : c);
		}
		return clean.toString();
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
	 * WeChat's errmsg, at most 200 characters, control characters replaced by spaces.
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
	 * The request id WeChat puts at the end of its errmsg
	 * ({@code "... rid: 6613a5c3-1b2f0c3d-4a5b6c7d"}), which WeChat's support asks for;
	 * no secret, so logs keep it.
	 * @return the rid, or empty when the errmsg has none
	 */
	public Optional<String> rid() {
		return Optional.ofNullable(this.rid);
	}

	/**
	 * What the caller must do about this refusal.
	 * @return the category
	 */
	public Category category() {
		return this.category;
	}

	/**
	 * How long to wait before the same request may succeed, for a {@link Category#RETRY}
	 * refusal: 5 seconds when WeChat is busy (-1), a minute for the frequency limit
	 * (45011), an hour for the daily limit (45009).
	 * @return the wait, or empty when retrying would not help
	 */
	public Optional<Duration> retryAfter() {
		if (this.category != Category.RETRY) {
			return Optional.empty();
		}
		return errorCode().flatMap(WeChatErrorCode::retryAfter);
	}

	/**
	 * Whether the same request may succeed later.
	 * @return whether the category is {@link Category#RETRY}
	 */
	public boolean isRetryable() {
		return this.category == Category.RETRY;
	}

	/**
	 * What the caller must do about a refusal, one decision each.
	 */
	public enum Category {

		/**
		 * The client's input was refused (a bad or used code, a phone code of another
		 * user, a blocked user): the user must start again (HTTP 400; a refused login
		 * code 401, 40226 403).
		 */
		CLIENT,

		/**
		 * WeChat is busy or throttling: retry after
		 * {@link WeChatApiException#retryAfter()} (HTTP 503, 45011 429).
		 */
		RETRY,

		/**
		 * This server's configuration is refused (app id, secret, IP allow list, API not
		 * authorised, a malformed request): an operator must act; retrying changes
		 * nothing (HTTP 503).
		 */
		CONFIGURATION,

		/**
		 * The access token was refused (40001, 40014, 42001): fetch a new one and retry
		 * once.
		 */
		TOKEN,

		/** An errcode the starter does not know: logged with its rid, HTTP 502. */
		UNKNOWN

	}

}
