package io.github.wechatminiapp.token;

import java.time.Duration;

import io.github.wechatminiapp.RetryLaterException;
import org.jspecify.annotations.Nullable;

/**
 * No access token can be had now, so the call that needs one fails at once, without
 * calling WeChat, until {@link #retryAfter()} has passed. Either a fetch failed and its
 * backoff lasts ({@link Reason#FETCH_FAILED}, {@link Reason#FETCH_REFUSED}), or WeChat
 * rejects the token it keeps handing out and a forced refresh, the only way to a new one,
 * is not possible now: one was forced less than 30 s ago (here or on another instance),
 * the day's budget of forced refreshes is used up, or WeChat refused or failed the forced
 * refresh; meanwhile the token WeChat hands out stays in use for the calls it still
 * serves. The message never contains the token.
 */
public class AccessTokenUnavailableException extends RetryLaterException {

	private static final long serialVersionUID = 1L;

	/**
	 * Why no new token can be had now.
	 */
	public enum Reason {

		/**
		 * A forced refresh happened less than 30 s ago; WeChat would answer the same
		 * token.
		 */
		TOO_SOON,

		/**
		 * The day's forced refreshes are used up, or WeChat answered 45009 (daily limit).
		 */
		DAILY_LIMIT_REACHED,

		/** The forced refresh failed (an error answer, a timeout, an I/O error). */
		REFRESH_FAILED,

		/**
		 * Fetching a token failed (a timeout, an I/O error, WeChat busy), or a fetch in
		 * flight did not finish in time; the next fetch waits for a backoff that grows
		 * with each failure.
		 */
		FETCH_FAILED,

		/**
		 * WeChat refuses this server's configuration (app id, secret, IP allow list): an
		 * operator must act; the next fetch waits for a long backoff.
		 */
		FETCH_REFUSED

	}

	private final Reason reason;

	/**
	 * Creates the exception.
	 * @param reason why no new token can be had
	 * @param retryAfter how long until a new token may be tried for
	 * @param cause the failure that led here, or {@code null}
	 */
	public AccessTokenUnavailableException(Reason reason, Duration retryAfter, @Nullable Throwable cause) {
		super("No WeChat access token can be had for " + retryAfter + " (" + reason + ")", retryAfter, cause);
		this.reason = reason;
	}

	/**
	 * Why no new token can be had now.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

}
