package io.github.wechatminiapp.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the access token is kept: this JVM's memory by default, a shared store when several instances must use
 * one token.
 */
public interface AccessTokenStore {

	/**
	 * The token kept now.
	 * @return the token, or empty
	 */
	Optional<CachedAccessToken> get();

	/**
	 * Keeps a new token, unless the kept one expires later: a writer that fetched its token before another
	 * instance's refresh, and answers late, never replaces the newer token.
	 * @param token the token
	 */
	void put(CachedAccessToken token);

	/**
	 * Forgets the kept token if it is the given one.
	 * @param value the token value WeChat rejected
	 */
	void evict(String value);

	/**
	 * Tries to become the one holder, across every instance sharing this store, allowed to fetch a new token. A
	 * store used by one JVM needs no lock of its own: the provider already lets one thread fetch.
	 * @param owner a value unique to the caller, needed to release the lock
	 * @param leaseTime how long the lock holds if its owner never releases it (e.g. crashes)
	 * @return whether the caller holds the lock
	 */
	default boolean tryLock(String owner, Duration leaseTime) {
		return true;
	}

	/**
	 * Releases the lock if the owner still holds it.
	 * @param owner the value given to {@link #tryLock(String, Duration)}
	 */
	default void unlock(String owner) {
	}

	/**
	 * Asks to force a refresh of the token ({@code force_refresh: true}), which WeChat allows 20 times a day and
	 * ignores within 30 s of the previous one. Grants at most one per {@code interval} and {@code perDay} a day
	 * (WeChat's day, UTC+8) for the app, across every instance sharing this store, and counts the granted one.
	 * The default grants every request: a store shared by several instances must override it.
	 * @param now the time now, by the caller's clock
	 * @param interval the least time between two forced refreshes
	 * @param perDay the most forced refreshes a day
	 * @return whether the caller may force a refresh now, or why not
	 */
	default ForcedRefreshClaim tryClaimForcedRefresh(Instant now, Duration interval, int perDay) {
		return ForcedRefreshClaim.GRANTED;
	}

	/**
	 * Refuses every forced refresh until the given time, for every instance sharing this store: WeChat answered
	 * 45009 (daily limit).
	 * @param until when forced refreshes may be tried again
	 */
	default void blockForcedRefreshes(Instant until) {
	}

}
