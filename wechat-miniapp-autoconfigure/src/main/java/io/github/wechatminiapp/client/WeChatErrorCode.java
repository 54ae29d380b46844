package io.github.wechatminiapp.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.wechatminiapp.client.WeChatApiException.Category;

/**
 * The catalogue of errcodes WeChat answers on the APIs the starter calls
 * ({@code jscode2session}, {@code getuserphonenumber}, {@code token},
 * {@code stable_token}, {@code checksession}, {@code resetusersessionkey}), each with
 * what it means and what the caller must do about it ({@link #category(WeChatApi)}). A
 * code missing here is {@link Category#UNKNOWN}.
 */
public enum WeChatErrorCode {

	/** WeChat is busy; the same request may succeed a few seconds later. */
	SYSTEM_BUSY(-1, "system busy, try again later", Category.RETRY),

	/**
	 * The access token is invalid, stale or revoked: fetch a new one and retry once. From
	 * {@code /cgi-bin/token} or {@code stable_token} it means the app secret is wrong
	 * (configuration).
	 */
	INVALID_CREDENTIAL(40001, "access token invalid or not the latest", Category.TOKEN),

	/**
	 * The grant_type is wrong: the request the starter sent is malformed (a proxy rewrote
	 * it?).
	 */
	INVALID_GRANT_TYPE(40002, "invalid grant_type", Category.CONFIGURATION),

	/** The openid is unknown to this app, or (bound phone code) not the code's user. */
	INVALID_OPENID(40003, "invalid openid", Category.CLIENT),

	/** The app id is wrong: a configuration error. */
	INVALID_APP_ID(40013, "invalid app id", Category.CONFIGURATION),

	/**
	 * The access token is invalid: treated like 40001 (fetch a new one and retry once).
	 */
	INVALID_ACCESS_TOKEN(40014, "invalid access token", Category.TOKEN),

	/**
	 * The code is invalid, expired or used; the user must call wx.login (or tap the
	 * button) again.
	 */
	INVALID_CODE(40029, "invalid or expired code", Category.CLIENT),

	/** The app secret is wrong: a configuration error. */
	INVALID_APP_SECRET(40125, "invalid app secret", Category.CONFIGURATION),

	/** The login code was already used. */
	CODE_USED(40163, "code already used", Category.CLIENT),

	/** The server's IP is not on the app's allow list: a configuration error. */
	IP_NOT_ALLOWED(40164, "caller IP not on the allow list", Category.CONFIGURATION),

	/** WeChat blocked the login of a high-risk user. */
	HIGH_RISK_USER(40226, "high-risk user, login blocked", Category.CLIENT),

	/** The app secret is frozen: an administrator must unfreeze or reset it. */
	APP_SECRET_FROZEN(40243, "app secret frozen", Category.CONFIGURATION),

	/** The request had no access token: the starter sent a malformed request. */
	ACCESS_TOKEN_MISSING(41001, "access token missing", Category.CONFIGURATION),

	/** The request had no app id: the starter sent a malformed request. */
	APP_ID_MISSING(41002, "app id missing", Category.CONFIGURATION),

	/** The request had no app secret: the starter sent a malformed request. */
	APP_SECRET_MISSING(41004, "app secret missing", Category.CONFIGURATION),

	/** The request had no code. */
	CODE_MISSING(41008, "code missing", Category.CLIENT),

	/** The access token has expired: fetch a new one and retry once. */
	ACCESS_TOKEN_EXPIRED(42001, "access token expired", Category.TOKEN),

	/** The endpoint accepts POST only: the starter sent a malformed request. */
	REQUIRE_POST(43002, "POST required", Category.CONFIGURATION),

	/**
	 * The daily call limit of this API is reached; it resets at midnight, Beijing time.
	 */
	DAILY_LIMIT(45009, "daily call limit reached", Category.RETRY),

	/**
	 * Too many calls in a short time (about 100 logins per user and minute); retry next
	 * minute.
	 */
	FREQUENCY_LIMIT(45011, "frequency limit reached, retry next minute", Category.RETRY),

	/** WeChat could not read the request body: the starter sent a malformed request. */
	DATA_FORMAT_ERROR(47001, "data format error", Category.CONFIGURATION),

	/**
	 * The app is not authorised for this API (phone numbers need a verified, non-personal
	 * mini program).
	 */
	API_UNAUTHORIZED(48001, "API not authorised for this app", Category.CONFIGURATION),

	/** The token API may not be used by this app (an administrator disabled it). */
	TOKEN_API_FORBIDDEN(50004, "token API forbidden for this app", Category.CONFIGURATION),

	/** The account is frozen. */
	ACCOUNT_FROZEN(50007, "account frozen", Category.CONFIGURATION),

	/** A third-party platform's component app id was used with {@code /cgi-bin/token}. */
	COMPONENT_APP_ID(61024, "third-party platform app ids need the platform's token", Category.CONFIGURATION),

	/**
	 * The signature method is not {@code hmac_sha256}: the starter sent a malformed
	 * request.
	 */
	INVALID_SIGNATURE_METHOD(87008, "invalid sig_method", Category.CONFIGURATION),

	/**
	 * The signature does not match: the stored session key is no longer the user's
	 * current one.
	 */
	INVALID_SIGNATURE(87009, "invalid signature: session key is stale", Category.CLIENT),

	/** The caller IP awaits the administrator's confirmation in the admin console. */
	IP_AWAITING_CONFIRMATION(89501, "caller IP awaiting the administrator's confirmation", Category.CONFIGURATION),

	/**
	 * The administrator refused the caller IP; WeChat accepts a new request for it after
	 * 24 hours.
	 */
	IP_REFUSED(89503, "caller IP refused by the administrator, retry after 24 hours", Category.CONFIGURATION),

	/**
	 * The caller IP was refused twice within 24 hours; WeChat accepts a new request for
	 * it after 1 hour.
	 */
	IP_REFUSED_TWICE(89506, "caller IP refused twice in 24 hours, retry after 1 hour", Category.CONFIGURATION),

	/**
	 * The caller IP was refused within the last hour; WeChat accepts a new request for it
	 * after 1 hour.
	 */
	IP_REFUSED_RECENTLY(89507, "caller IP refused in the last hour, retry after 1 hour", Category.CONFIGURATION);

	private static final Map<Integer, WeChatErrorCode> BY_CODE = Arrays.stream(values())
		.collect(Collectors.toUnmodifiableMap(WeChatErrorCode::code, Function.identity()));

	private final int code;

	private final String meaning;

	private final Category category;

	WeChatErrorCode(int code, String meaning, Category category) {
		this.code = code;
		this.meaning = meaning;
		this.category = category;
	}

	/**
	 * Looks up a code.
	 * @param errcode the errcode WeChat answered
	 * @return the known code, or empty
	 */
	public static Optional<WeChatErrorCode> of(int errcode) {
		return Optional.ofNullable(BY_CODE.get(errcode));
	}

	/**
	 * The numeric errcode.
	 * @return the errcode
	 */
	public int code() {
		return this.code;
	}

	/**
	 * What the code means, in a few words.
	 * @return the meaning
	 */
	public String meaning() {
		return this.meaning;
	}

	/**
	 * Whether the same request may succeed if sent again later.
	 * @return whether the category is {@link Category#RETRY}
	 */
	public boolean retryable() {
		return this.category == Category.RETRY;
	}

	/**
	 * What the caller must do about this errcode on most APIs; see
	 * {@link #category(WeChatApi)} for the one API where a code means something else.
	 * @return the category
	 */
	public Category category() {
		return this.category;
	}

	/**
	 * What the caller must do about this errcode answered by the given API. On
	 * {@code /cgi-bin/token} and {@code stable_token}, which take the app secret and no
	 * token, 40001 and 40014 mean a wrong secret: a configuration error, not a stale
	 * token.
	 * @param api the API that answered
	 * @return the category
	 */
	public Category category(WeChatApi api) {
		if (this.category == Category.TOKEN && (api == WeChatApi.TOKEN || api == WeChatApi.STABLE_TOKEN)) {
			return Category.CONFIGURATION;
		}
		return this.category;
	}

	/**
	 * How long to wait before sending the same request again, for the codes that say to
	 * retry later.
	 * @return the wait, or empty when retrying would not help
	 */
	public Optional<Duration> retryAfter() {
		return switch (this) {
			case SYSTEM_BUSY -> Optional.of(Duration.ofSeconds(5));
			case FREQUENCY_LIMIT -> Optional.of(Duration.ofMinutes(1));
			case DAILY_LIMIT -> Optional.of(Duration.ofHours(1));
			default -> Optional.empty();
		};
	}

	/**
	 * Whether the code says the access token must be fetched again.
	 * @return true for 40001, 40014 and 42001
	 */
	public boolean accessTokenRejected() {
		return this.category == Category.TOKEN;
	}

}
