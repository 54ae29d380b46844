package io.github.wechatminiapp.token;

import java.time.Duration;
import java.time.Instant;

import io.github.wechatminiapp.client.AccessToken;

/**
 * An access token as kept by an {@link AccessTokenStore}.
 *
 * @param value the token; a secret
 * @param refreshAt from when a new token should be fetched ahead of expiry
 * @param expiresAt when WeChat stops accepting the token
 */
public record CachedAccessToken(String value, Instant refreshAt, Instant expiresAt) {

	/**
	 * Schedules a token WeChat just issued. The refresh is due {@code refreshBefore}
	 * ahead of expiry, but at most half-way through the remaining time: the stable token
	 * comes back unchanged with less time left when it is fetched again before it
	 * expires, so the margin shrinks rather than causing a fetch on every call.
	 * @param token the token and its remaining validity
	 * @param now when WeChat answered
	 * @param refreshBefore how long ahead of expiry to refresh
	 * @return the cached token
	 */
	public static CachedAccessToken of(AccessToken token, Instant now, Duration refreshBefore) {
		Duration expiresIn = token.expiresIn();
		Duration margin = (refreshBefore.compareTo(expiresIn.dividedBy(2)) < 0) ? refreshBefore
				: expiresIn.dividedBy(2);
		Instant expiresAt = now.plus(expiresIn);
		return new CachedAccessToken(token.value(), expiresAt.minus(margin), expiresAt);
	}

	/**
	 * Whether the token can still be used.
	 * @param now the time now
	 * @return true before expiry
	 */
	public boolean isUsable(Instant now) {
		return now.isBefore(this.expiresAt);
	}

	/**
	 * Whether a new token should be fetched.
	 * @param now the time now
	 * @return true from {@link #refreshAt()} on
	 */
	public boolean isRefreshDue(Instant now) {
		return !now.isBefore(this.refreshAt);
	}

	@Override
	public String toString() {
		return "CachedAccessToken[value=******, refreshAt=" + this.refreshAt + ", expiresAt=" + this.expiresAt + "]";
	}

}
