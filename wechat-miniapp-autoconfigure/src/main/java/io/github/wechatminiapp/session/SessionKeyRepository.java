package io.github.wechatminiapp.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the server keeps each user's session key, by openid. The key never leaves the server.
 */
public interface SessionKeyRepository {

	/** How long the stores of this starter keep a replaced key unless told otherwise. */
	Duration DEFAULT_PREVIOUS_KEY_TIME_TO_LIVE = Duration.ofMinutes(5);

	/**
	 * Stores the user's current session key. A store that supports {@link #findRecent(String)} keeps the key it
	 * replaces as the previous one, for a while.
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
	 * The user's current session key followed, for a bounded time after it was replaced, by the one before it.
	 * Open data the client encrypted just before WeChat rotated the key (a second {@code wx.login}) still
	 * decrypts with the previous one. Stores that keep only the current key need not override this.
	 * @param openid the user
	 * @return the current key, then the previous one if still kept; empty when none is stored
	 */
	default List<SessionKey> findRecent(String openid) {
		return find(openid).map(List::of).orElseGet(List::of);
	}

	/**
	 * Forgets the user's session keys. A store that counts decryption failures (see
	 * {@link #recordDecryptionFailure(String, SessionKey)}) keeps the user's count: logging out and in again with
	 * the same session key must not buy a fresh failure budget.
	 * @param openid the user
	 */
	void remove(String openid);

	/**
	 * Counts one rejected decryption of the user's open data, for the failure budget that stops padding-oracle
	 * attacks (see {@link OpenDataDecryptor}). The contract of a store that overrides this:
	 * <ul>
	 * <li>the increment is atomic, and shared by every instance that shares the store;</li>
	 * <li>the count belongs to the session key: {@link #save(String, SessionKey)} of a <em>different</em> key
	 * starts it at zero, saving the same key again keeps it, and {@link #remove(String)} keeps it;</li>
	 * <li>it is forgotten no sooner than the key it belongs to would expire.</li>
	 * </ul>
	 * Stores that cannot count need not override this: the default answers {@link Integer#MAX_VALUE}, the
	 * strictest budget, so every rejected payload drops the user's keys and asks for a new login.
	 * @param openid the user
	 * @param sessionKey the user's current key, as read for the decryption that failed
	 * @return the user's rejections counted against that key, this one included
	 */
	default int recordDecryptionFailure(String openid, SessionKey sessionKey) {
		return Integer.MAX_VALUE;
	}

}
