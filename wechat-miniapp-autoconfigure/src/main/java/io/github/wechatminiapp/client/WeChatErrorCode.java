package io.github.wechatminiapp.client;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The WeChat error codes the starter knows, with what they mean and what to do about them.
 */
public enum WeChatErrorCode {

	/** WeChat is busy; worth retrying with backoff. */
	SYSTEM_BUSY(-1, "system busy, try again later", true),

	/** The access token is invalid, stale or revoked; fetch a new one. */
	INVALID_CREDENTIAL(40001, "access token invalid or not the latest", false),

	/** The openid is unknown to this app. */
	INVALID_OPENID(40003, "invalid openid", false),

	/** The app id is wrong: a configuration error. */
	INVALID_APP_ID(40013, "invalid app id", false),

	/** The code is invalid or expired; the user must call wx.login (or tap the button) again. */
	INVALID_CODE(40029, "invalid or expired code", false),

	/** The app secret is wrong: a configuration error. */
	INVALID_APP_SECRET(40125, "invalid app secret", false),

	/** The login code was already used. */
	CODE_USED(40163, "code already used", false),

	/** The server's IP is not on the app's allow list: a configuration error. */
	IP_NOT_ALLOWED(40164, "caller IP not on the allow list", false),

	/** WeChat blocked the login of a high-risk user. */
	HIGH_RISK_USER(40226, "high-risk user, login blocked", false),

	/** The access token has expired; fetch a new one. */
	ACCESS_TOKEN_EXPIRED(42001, "access token expired", false),

	/** The endpoint accepts POST only. */
	REQUIRE_POST(43002, "POST required", false),

	/** The daily call limit of this API is reached. */
	DAILY_LIMIT(45009, "daily call limit reached", false),

	/** Too many calls for this user in a short time; back off. */
	FREQUENCY_LIMIT(45011, "frequency limit reached, back off", false),

	/** The signature does not match: the stored session key is no longer the user's current one. */
	INVALID_SIGNATURE(87009, "invalid signature: session key is stale", false),

	/** The phone-number capability has no quota left (it is paid per call beyond the free quota). */
	PHONE_NUMBER_QUOTA_EXHAUSTED(1400001, "phone-number quota exhausted", false);

	private static final Map<Integer, WeChatErrorCode> BY_CODE = Arrays.stream(values())
		.collect(Collectors.toUnmodifiableMap(WeChatErrorCode::code, Function.identity()));

	private final int code;

	private final String meaning;

	private final boolean retryable;

	WeChatErrorCode(int code, String meaning, boolean retryable) {
		this.code = code;
		this.meaning = meaning;
		this.retryable = retryable;
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
	 * @return whether retryable
	 */
	public boolean retryable() {
		return this.retryable;
	}

	/**
	 * What the caller must do about this errcode.
	 * @return the category
	 */
	public WeChatApiException.Category category() {
		if (accessTokenRejected()) {
			return WeChatApiException.Category.TOKEN;
		}
		if (this.retryable || this == FREQUENCY_LIMIT || this == DAILY_LIMIT) {
			return WeChatApiException.Category.RETRY;
		}
		if (this == INVALID_APP_ID || this == INVALID_APP_SECRET || this == IP_NOT_ALLOWED) {
			return WeChatApiException.Category.CONFIGURATION;
		}
		return WeChatApiException.Category.CLIENT;
	}

	/**
	 * Whether the code says the access token must be fetched again.
	 * @return true for 40001 and 42001
	 */
	public boolean accessTokenRejected() {
		return this == INVALID_CREDENTIAL || this == ACCESS_TOKEN_EXPIRED;
	}

}
