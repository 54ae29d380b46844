package io.github.wechatminiapp.token;

import java.time.Instant;
import java.util.Optional;

import io.github.wechatminiapp.token.AccessTokenUnavailableException.Reason;
import org.jspecify.annotations.Nullable;

/**
 * What a provider knows of its access token at one moment, read from its state and store
 * alone (never by calling WeChat), for health checks. Holds no token.
 *
 * @param checkedAt when the status was taken
 * @param expiresAt when the kept token expires, or {@code null} when none is kept
 * @param lastFailure the last failed fetch, or {@code null} when the last fetch succeeded
 * or none was made
 * @param forcedRefreshRefusal why WeChat's rejection of the kept token cannot be answered
 * by a forced refresh now, or {@code null}
 * @param forcedRefreshRetryAt until when that refusal lasts, or {@code null}
 */
public record AccessTokenStatus(Instant checkedAt, @Nullable Instant expiresAt, @Nullable Failure lastFailure,
		@Nullable Reason forcedRefreshRefusal, @Nullable Instant forcedRefreshRetryAt) {

	/**
	 * Whether a token that can still be used is kept.
	 * @return true when a kept token expires after {@link #checkedAt()}
	 */
	public boolean hasUsableToken() {
		return this.expiresAt != null && this.checkedAt.isBefore(this.expiresAt);
	}

	/**
	 * The last failed fetch.
	 * @return the failure, or empty
	 */
	public Optional<Failure> failure() {
		return Optional.ofNullable(this.lastFailure);
	}

	/**
	 * A failed fetch of a token.
	 *
	 * @param message what failed: the exception's message, or its simple class name when
	 * it had none; never the token or the secret
	 * @param refusal whether WeChat refused this server's configuration (app id, secret,
	 * IP allow list), which only an operator can end, rather than failing for a while
	 * @param errcode WeChat's errcode, or {@code null} when WeChat gave none (a timeout,
	 * an I/O error)
	 * @param rid the {@code rid} of WeChat's answer, or {@code null}
	 * @param consecutive how many fetches in a row failed
	 * @param retryAt before when no fetch is tried again
	 */
	public record Failure(String message, boolean refusal, @Nullable Integer errcode, @Nullable String rid,
			int consecutive, Instant retryAt) {

	}

}
