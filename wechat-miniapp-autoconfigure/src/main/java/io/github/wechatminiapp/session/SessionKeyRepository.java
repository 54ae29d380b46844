package io.github.wechatminiapp.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the server keeps each user's session key, by openid. The key never leaves the
 * server.
 */
public interface SessionKeyRepository {

	/** How long the stores of this starter keep a replaced key unless told otherwise. */
	Duration DEFAULT_PREVIOUS_KEY_TIME_TO_LIVE = Duration.ofMinutes(5);

	/**
	 * Stores the user's current session key. A store that supports
	 * {@link #findRecent(String)} keeps the key it replaces as the previous one, for a
	 * while.
	 * @param openid the user
	 * @param sessionKey the key jscode2session returned
	 */
	void save(String openid, SessionKey sessionKey);

	/**
	 * The user's current session key.
	 * @param openid the user
	 * @return the key, or empty when none is stored or it has expired
	 */
	Optional<SessionKey> find(String openid);

	/**
	 * The user's current session key followed, for a bounded time after it was replaced,
	 * by the one before it. Open data the client encrypted just before WeChat rotated the
	 * key (a second {@code wx.login}) still decrypts with the previous one. Stores that
	 * keep only the current key need not override this.
	 * @param openid the user
	 * @return the current key, then the previous one if still kept; empty when none is
	 * stored
	 */
	default List<SessionKey> findRecent(String openid) {
		return find(openid).map(List::of).orElseGet(List::of);
	}

	/**
	 * Forgets the user's session keys. A store that counts decryption failures (see
	 * {@link #recordDecryptionFailure(String, SessionKey)}) keeps the user's count:
	 * logging out and in again with the same session key must not buy a fresh failure
	 * budget.
	 * @param openid the user
	 */
	void remove(String openid);

	/**
	 * Counts one rejected decryption of the user's open data, for the failure budget that
	 * stops padding-oracle attacks, whatever the count so far. The contract of a store
	 * that overrides this:
	 * <ul>
	 * <li>the increment is atomic, and shared by every instance that shares the
	 * store;</li>
	 * <li>the count belongs to the session key: {@link #save(String, SessionKey)} of a
	 * <em>different</em> key starts it at zero, saving the same key again keeps it, and
	 * {@link #remove(String)} keeps it;</li>
	 * <li>it is forgotten no sooner than the key it belongs to would expire.</li>
	 * </ul>
	 * Stores that cannot count need not override this: the default answers
	 * {@link Integer#MAX_VALUE}, the strictest budget.
	 * @param openid the user
	 * @param sessionKey the user's current key, as read for the decryption that failed
	 * @return the user's rejections counted against that key, this one included
	 */
	default int recordDecryptionFailure(String openid, SessionKey sessionKey) {
		return Integer.MAX_VALUE;
	}

	/**
	 * Reserves one decryption against the user's failure budget <em>before</em>
	 * decrypting: atomically, when fewer than {@code budget} decryptions are counted
	 * against the key, counts one more; otherwise counts nothing. A decryption that
	 * succeeds gives its slot back ({@link #releaseDecryption(String, SessionKey)}); one
	 * that fails keeps it, so the count is the count of failures plus the decryptions in
	 * flight, and however many requests race, at most {@code budget} of them decrypt
	 * under a key. The count is the one
	 * {@link #recordDecryptionFailure(String, SessionKey)} keeps, with the same contract.
	 * <p>
	 * Stores that cannot count need not override this: the default grants the last slot
	 * every time, the strictest budget, so that every rejected payload spends it and the
	 * user must log in again.
	 * @param openid the user
	 * @param sessionKey the user's current key, as read for the decryption to come
	 * @param budget the decryptions allowed to fail under one key; at least 1
	 * @return the decryptions counted against the key, this one included, when at most
	 * {@code budget} (granted); more than {@code budget} when the budget is spent and
	 * nothing was reserved
	 */
	default int reserveDecryption(String openid, SessionKey sessionKey, int budget) {
		return budget;
	}

	/**
	 * Gives back a slot {@link #reserveDecryption(String, SessionKey, int)} granted, for
	 * a decryption that succeeded: successes never spend the budget. Never counts below
	 * zero, and does nothing when the user's count belongs to another key by now.
	 * @param openid the user
	 * @param sessionKey the key the slot was reserved against
	 */
	default void releaseDecryption(String openid, SessionKey sessionKey) {
	}

}
