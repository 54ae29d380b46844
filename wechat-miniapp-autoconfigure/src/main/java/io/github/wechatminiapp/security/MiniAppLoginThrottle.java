package io.github.wechatminiapp.security;

import java.time.Duration;
import java.util.Optional;

/**
 * Bounds the failed logins of one client address, so that made-up codes cannot turn the
 * login into an amplifier towards WeChat: once an address has failed too often within the
 * window, its logins are answered 429 without calling WeChat until the window ends.
 * Successful logins are never counted. In this JVM ({@link CaffeineMiniAppLoginThrottle})
 * or on Redis, shared by every instance ({@link RedisMiniAppLoginThrottle}).
 */
public interface MiniAppLoginThrottle {

	/**
	 * Whether an address may try to log in now.
	 * @param clientAddress the client's address
	 * @return empty when it may, else how long until it may again
	 * @throws io.github.wechatminiapp.StoreAccessException if the store of counts failed
	 */
	Optional<Duration> blockedFor(String clientAddress);

	/**
	 * Counts a failed login of an address.
	 * @param clientAddress the client's address
	 * @throws io.github.wechatminiapp.StoreAccessException if the store of counts failed
	 */
	void recordFailure(String clientAddress);

}
