package io.github.wechatminiapp.token;

import java.time.Instant;

import io.github.wechatminiapp.WeChatMiniAppException;
import org.jspecify.annotations.Nullable;

/**
 * WeChat rejects the access token it keeps handing out, and a forced refresh, the only way to a new one, is not
 * possible now: one was forced less than 30 s ago (here or on another instance), the day's budget of forced
 * refreshes is used up, or WeChat refused or failed the forced refresh. Thrown at once, without calling WeChat
 * again, until {@link #retryAfter()}; meanwhile the token WeChat hands out stays in use for the calls it still
 * serves. The message never contains the token.
 */
public class AccessTokenUnavailableException extends WeChatMiniAppException {

	private static final long serialVersionUID = 1L;

	/**
	 * Why no new token can be had now.
	 */
	public enum Reason {

		/** A forced refresh happened less than 30 s ago; WeChat would answer the same token. */
		TOO_SOON,

		/** The day's forced refreshes are used up, or WeChat answered 45009 (daily limit). */
		DAILY_LIMIT_REACHED,

		/** The forced refresh failed (an error answer, a timeout, an I/O error). */
		REFRESH_FAILED

	}

	private final Reason reason;

	private final Instant retryAfter;

	/**
	 * Creates the exception.
	 * @param reason why no new token can be had
	 * @param retryAfter when a forced refresh may be tried again
	 * @param cause the failure of the forced refresh, or {@code null}
	 */
	public AccessTokenUnavailableException(Reason reason, Instant retryAfter, @Nullable Throwable cause) {
		super("WeChat rejects the access token and a forced refresh is not possible before " + retryAfter + " ("
				+ reason + ")", cause);
		this.reason = reason;
		this.retryAfter = retryAfter;
	}

	/**
	 * Why no new token can be had now.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

	/**
	 * When a forced refresh may be tried again; until then every call rejected for its token fails fast.
	 * @return the time
	 */
	public Instant retryAfter() {
		return this.retryAfter;
	}

}
