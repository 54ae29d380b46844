package io.github.wechatminiapp.security;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.github.wechatminiapp.StoreAccessException;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * Failed logins counted on Redis, shared by every instance: one key per client address,
 * {@code <prefix>login-failures:<client-address>}, a counter that expires with its
 * window.
 */
public final class RedisMiniAppLoginThrottle implements MiniAppLoginThrottle {

	// The first failure of a window starts its clock: INCR and PEXPIRE in one step, so no
	// counter lives forever.
	private static final RedisScript<Long> COUNT = RedisScript.of("""
			local n = redis.call('INCR', KEYS[1])
			if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
			return n""", Long.class);

	private final RedisOperations<String, String> redis;

	private final String namespace;

	private final int maxFailures;

	private final Duration window;

	/**
	 * Creates a throttle.
	 * @param redis the Redis operations
	 * @param keyPrefix what every Redis key starts with
	 * @param maxFailures failed logins allowed per address and window
	 * @param window the window
	 */
	public RedisMiniAppLoginThrottle(RedisOperations<String, String> redis, String keyPrefix, int maxFailures,
			Duration window) {
		Assert.notNull(redis, "redis must not be null");
		Assert.isTrue(maxFailures > 0, "maxFailures must be positive");
		Assert.isTrue(window.compareTo(Duration.ofSeconds(1)) >= 0, "window must be at least one second");
		this.redis = redis;
		this.namespace = keyPrefix + "login-failures:";
		this.maxFailures = maxFailures;
		this.window = window;
	}

	@Override
	public Optional<Duration> blockedFor(String clientAddress) {
		String key = this.namespace + clientAddress;
		try {
			String failures = this.redis.opsForValue().get(key);
			if (failures == null || Long.parseLong(failures) < this.maxFailures) {
				return Optional.empty();
			}
			Long ttl = this.redis.getExpire(key, java.util.concurrent.TimeUnit.MILLISECONDS);
			// A key without a time to live (-1) or gone meanwhile (-2): wait one window
			// at most.
			return Optional.of((ttl == null || ttl < 0) ? this.window : Duration.ofMillis(ttl));
		}
		catch (DataAccessException ex) {
			throw new StoreAccessException("redis", "login failures", ex);
		}
	}

	@Override
	public void recordFailure(String clientAddress) {
		try {
			this.redis.execute(COUNT, List.of(this.namespace + clientAddress), Long.toString(this.window.toMillis()));
		}
		catch (DataAccessException ex) {
			throw new StoreAccessException("redis", "login failures", ex);
		}
	}

}
