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
	 * Forgets the user's session keys.
	 * @param openid the user
	 */
	void remove(String openid);

}
