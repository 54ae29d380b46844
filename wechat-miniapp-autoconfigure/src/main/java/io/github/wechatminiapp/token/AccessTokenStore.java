package io.github.wechatminiapp.token;

import java.time.Duration;
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
	 * Keeps a new token.
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

}
