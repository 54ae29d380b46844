package io.github.wechatminiapp.token;

import java.time.Duration;

/**
 * The capability of a shared {@link AccessTokenStore} to let one holder at a time, across
 * every instance sharing it, fetch a new token. A store without it is used by one JVM as
 * far as fetching goes: the provider lets one thread of the JVM fetch.
 */
public interface AccessTokenLock {

	/**
	 * Tries to become the one holder, across every instance sharing the store, allowed to
	 * fetch a new token.
	 * @param owner a value unique to the caller, needed to release the lock
	 * @param leaseTime how long the lock holds if its owner never releases it (e.g.
	 * crashes)
	 * @return whether the caller holds the lock
	 */
	boolean tryLock(String owner, Duration leaseTime);

	/**
	 * Releases the lock if the owner still holds it.
	 * @param owner the value given to {@link #tryLock(String, Duration)}
	 */
	void unlock(String owner);

}
