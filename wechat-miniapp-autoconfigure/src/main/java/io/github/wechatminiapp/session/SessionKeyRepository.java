package io.github.wechatminiapp.session;

import java.util.Optional;

/**
 * Where the server keeps each user's session key, by openid. The key never leaves the server.
 */
public interface SessionKeyRepository {

	/**
	 * Stores the user's current session key, replacing any earlier one.
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
	 * Forgets the user's session key.
	 * @param openid the user
	 */
	void remove(String openid);

}
