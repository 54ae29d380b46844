package io.github.wechatminiapp.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.github.wechatminiapp.StoreAccessException;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The access token in Redis, shared by every instance: {@code <prefix><app id>:access-token}, expiring with the
 * token, and a short lock ({@code ...:access-token:lock}) that lets one instance at a time fetch a new one. The
 * lock holds a value unique to its owner, is released only by that owner, and expires if the owner crashes.
 */
public final class RedisAccessTokenStore implements AccessTokenStore {

	private static final String SEPARATOR = "|";

	private static final RedisScript<Long> DELETE_IF_TOKEN = RedisScript.of("""
			local v = redis.call('GET', KEYS[1])
			if v and string.sub(v, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. '|' then
			  return redis.call('DEL', KEYS[1])
			end
			return 0
			""", Long.class);

	private static final RedisScript<Long> DELETE_IF_OWNER = RedisScript.of("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then
			  return redis.call('DEL', KEYS[1])
			end
			return 0
			""", Long.class);

	private final StringRedisTemplate redis;

	private final String tokenKey;

	private final String lockKey;

	/**
	 * Creates a store.
	 * @param redis the Redis template
	 * @param keyPrefix what every Redis key starts with
	 * @param appId the app id, part of the Redis keys
	 */
	public RedisAccessTokenStore(StringRedisTemplate redis, String keyPrefix, String appId) {
		this.redis = redis;
		this.tokenKey = keyPrefix + appId + ":access-token";
		this.lockKey = this.tokenKey + ":lock";
	}

	@Override
	public Optional<CachedAccessToken> get() {
		String value = call(() -> this.redis.opsForValue().get(this.tokenKey));
		if (value == null) {
			return Optional.empty();
		}
		String[] parts = value.split("\\|", 3);
		if (parts.length != 3) {
			return Optional.empty();
		}
		try {
			return Optional.of(new CachedAccessToken(parts[0], Instant.ofEpochMilli(Long.parseLong(parts[1])),
					Instant.ofEpochMilli(Long.parseLong(parts[2]))));
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
	}

	@Override
	public void put(CachedAccessToken token) {
		Duration ttl = Duration.between(Instant.now(), token.expiresAt());
		if (ttl.isNegative() || ttl.isZero()) {
			return;
		}
		String value = token.value() + SEPARATOR + token.refreshAt().toEpochMilli() + SEPARATOR
				+ token.expiresAt().toEpochMilli();
		call(() -> {
			this.redis.opsForValue().set(this.tokenKey, value, ttl);
			return null;
		});
	}

	@Override
	public void evict(String value) {
		call(() -> this.redis.execute(DELETE_IF_TOKEN, List.of(this.tokenKey), value));
	}

	@Override
	public boolean tryLock(String owner, Duration leaseTime) {
		return Boolean.TRUE.equals(call(() -> this.redis.opsForValue().setIfAbsent(this.lockKey, owner, leaseTime)));
	}

	@Override
	public void unlock(String owner) {
		call(() -> this.redis.execute(DELETE_IF_OWNER, List.of(this.lockKey), owner));
	}

	private static <T> T call(java.util.function.Supplier<T> operation) {
		try {
			return operation.get();
		}
		catch (DataAccessException ex) {
			throw new StoreAccessException("redis", "the access token", ex);
		}
	}

}
