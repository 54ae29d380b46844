package io.github.wechatminiapp.session;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.github.wechatminiapp.StoreAccessException;
import io.github.wechatminiapp.crypto.AtRestCipher;
import io.github.wechatminiapp.crypto.Sha256;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * Session keys in Redis, shared by every instance of the backend: one key per user, named
 * {@code <prefix><app id>:session-key:{<openid>}}, expiring a fixed time after the last
 * login, and the key a login replaced under {@code ...:{<openid>}:previous} for a
 * shorter, bounded time. With an encryption key the stored values are AES-GCM ciphertext
 * rather than the session keys themselves. Each value starts with a fingerprint of its
 * key (a truncated SHA-256 of it, never the key), so that Redis can tell the same key
 * saved again from another.
 * <p>
 * A login is one round trip: a Lua script moves the current key to {@code :previous} if
 * the new one differs, sets the new one and keeps or resets the failure count,
 * atomically. The braces are a Redis Cluster hash tag: all of a user's keys are in one
 * hash slot, so the script, and the {@code MGET} that reads the current and the previous
 * key, work on a cluster.
 * <p>
 * Decryption failures are counted in the hash {@code ...:{<openid>}:failures} (fields
 * {@code count} and {@code key}, the fingerprint of the key the count belongs to), by one
 * Lua script so that every instance shares one atomic count; it expires with the session
 * key and survives {@link #remove(String)}.
 */
public final class RedisSessionKeyRepository implements SessionKeyRepository {

	private static final Log logger = LogFactory.getLog(RedisSessionKeyRepository.class);

	/** What every Redis key starts with unless set otherwise. */
	public static final String DEFAULT_KEY_PREFIX = "wechat:miniapp:";

	/**
	 * How long a saved key is kept unless set otherwise: as long as WeChat's sessions
	 * commonly last.
	 */
	public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofDays(3);

	private static final String PREVIOUS = ":previous";

	private static final String FAILURES = ":failures";

	/**
	 * Ends the fingerprint that starts every stored value; neither hex nor Base64
	 * contains it.
	 */
	private static final char FINGERPRINT_END = ':';

	/**
	 * Counts one failure against the key read (KEYS[2]); the count expires with that key.
	 */
	private static final RedisScript<Long> RECORD_FAILURE = new DefaultRedisScript<>("""
			if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('HSET', KEYS[1], 'key', ARGV[1]) end
			local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
			local ttl = redis.call('PTTL', KEYS[2])
			if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
			return count
			""", Long.class);

	/**
	 * A login: the current value (KEYS[1]) becomes the previous one (KEYS[2], for ARGV[3]
	 * ms, none if 0) unless it holds the same key, whose fingerprint (ARGV[2]) starts the
	 * new value (ARGV[1], for ARGV[4] ms); the failure count (KEYS[3]) stays, for as long
	 * as the key now lives, if it belongs to the same key, and starts afresh otherwise.
	 */
	private static final RedisScript<Long> SAVE = new DefaultRedisScript<>("""
			local replaced = redis.call('GET', KEYS[1])
			if replaced and string.sub(replaced, 1, #ARGV[2] + 1) ~= ARGV[2] .. ':' and tonumber(ARGV[3]) > 0 then
				redis.call('SET', KEYS[2], replaced, 'PX', ARGV[3])
			end
			redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
			if redis.call('HGET', KEYS[3], 'key') == ARGV[2] then
				return redis.call('PEXPIRE', KEYS[3], ARGV[4])
			end
			return redis.call('DEL', KEYS[3])
			""", Long.class);

	/**
	 * Reserves one decryption (KEYS[1], the count, against the key read, KEYS[2]) while
	 * fewer than ARGV[3] are counted; answers the count with this one, or one more than
	 * the count when refused. The count expires with the key.
	 */
	private static final RedisScript<Long> RESERVE_DECRYPTION = new DefaultRedisScript<>("""
			local count = tonumber(redis.call('HGET', KEYS[1], 'count') or '0')
			if count >= tonumber(ARGV[3]) then return count + 1 end
			if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('HSET', KEYS[1], 'key', ARGV[1]) end
			count = redis.call('HINCRBY', KEYS[1], 'count', 1)
			local ttl = redis.call('PTTL', KEYS[2])
			if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
			return count
			""", Long.class);

	/**
	 * Gives a reserved decryption back (KEYS[1]) if the count still belongs to the key
	 * (ARGV[1]) and is positive.
	 */
	private static final RedisScript<Long> RELEASE_DECRYPTION = new DefaultRedisScript<>("""
			if redis.call('HGET', KEYS[1], 'key') == ARGV[1]
					and tonumber(redis.call('HGET', KEYS[1], 'count') or '0') > 0 then
				return redis.call('HINCRBY', KEYS[1], 'count', -1)
			end
			return -1
			""", Long.class);

	private final RedisOperations<String, String> redis;

	private final String appId;

	private String namespace;

	private Duration timeToLive = DEFAULT_TIME_TO_LIVE;

	private @Nullable AtRestCipher encryption;

	private Duration previousKeyTimeToLive = DEFAULT_PREVIOUS_KEY_TIME_TO_LIVE;

	/**
	 * Creates a repository with the defaults: keys named
	 * {@code wechat:miniapp:<app id>:session-key:...}, kept three days, a replaced key
	 * kept five minutes, stored unencrypted; the setters change them.
	 * @param redis the Redis operations, on string keys and values
	 * @param appId the app id, part of every Redis key so that apps sharing a Redis stay
	 * apart
	 */
	public RedisSessionKeyRepository(RedisOperations<String, String> redis, String appId) {
		Assert.notNull(redis, "redis must not be null");
		Assert.hasText(appId, "appId must not be empty");
		this.redis = redis;
		this.appId = appId;
		this.namespace = namespace(DEFAULT_KEY_PREFIX, appId);
	}

	/**
	 * Sets what every Redis key starts with.
	 * @param keyPrefix the prefix, {@code wechat:miniapp:} by default
	 */
	public void setKeyPrefix(String keyPrefix) {
		Assert.notNull(keyPrefix, "keyPrefix must not be null");
		this.namespace = namespace(keyPrefix, this.appId);
	}

	/**
	 * Sets how long a saved key is kept.
	 * @param timeToLive positive; three days by default
	 */
	public void setTimeToLive(Duration timeToLive) {
		Assert.isTrue(timeToLive != null && !timeToLive.isZero() && !timeToLive.isNegative(),
				"timeToLive must be positive");
		this.timeToLive = timeToLive;
	}

	/**
	 * Sets how long a replaced key is kept as the previous one.
	 * @param previousKeyTimeToLive zero keeps none;
	 * {@link #DEFAULT_PREVIOUS_KEY_TIME_TO_LIVE} by default
	 */
	public void setPreviousKeyTimeToLive(Duration previousKeyTimeToLive) {
		Assert.isTrue(previousKeyTimeToLive != null && !previousKeyTimeToLive.isNegative(),
				"previousKeyTimeToLive must not be negative");
		this.previousKeyTimeToLive = previousKeyTimeToLive;
	}

	/**
	 * Sets the encryption at rest of the stored keys.
	 * @param encryption the cipher, or {@code null} (the default) to store the Base64 key
	 */
	public void setEncryption(@Nullable AtRestCipher encryption) {
		this.encryption = encryption;
	}

	private static String namespace(String keyPrefix, String appId) {
		return keyPrefix + appId + ":session-key:{";
	}

	@Override
	public void save(String openid, SessionKey sessionKey) {
		Assert.hasText(openid, "openid must not be empty");
		Assert.notNull(sessionKey, "sessionKey must not be null");
		String name = recordName(openid);
		String fingerprint = fingerprint(sessionKey);
		String value = fingerprint + FINGERPRINT_END
				+ ((this.encryption != null) ? sealed(sessionKey, name) : sessionKey.toBase64());
		try {
			this.redis.execute(SAVE, List.of(name, name + PREVIOUS, name + FAILURES), value, fingerprint,
					String.valueOf(this.previousKeyTimeToLive.toMillis()), String.valueOf(this.timeToLive.toMillis()));
		}
		catch (DataAccessException ex) {
			throw new StoreAccessException("redis", "session keys", ex);
		}
	}

	@Override
	public Optional<SessionKey> find(String openid) {
		if (openid == null || openid.isEmpty()) {
			return Optional.empty();
		}
		String name = recordName(openid);
		String value;
		try {
			value = this.redis.opsForValue().get(name);
		}
		catch (DataAccessException ex) {
			throw new StoreAccessException("redis", "session keys", ex);
		}
		return Optional.ofNullable(read(value, name));
	}

	@Override
	public List<SessionKey> findRecent(String openid) {
		if (openid == null || openid.isEmpty()) {
			return List.of();
		}
		String name = recordName(openid);
		List<String> values;
		try {
			values = this.redis.opsForValue().multiGet(List.of(name, name + PREVIOUS));
		}
		catch (DataAccessException ex) {
			throw new StoreAccessException("redis", "session keys", ex);
		}
		List<SessionKey> keys = new ArrayList<>(2);
		SessionKey current = (values != null) ? read(values.get(0), name) : null;
		if (current != null) {
			keys.add(current);
			SessionKey previous = read(values.get(1), name);
			if (previous != null && !previous.equals(current)) {
				keys.add(previous);
			}
		}
		return keys;
	}

	@Override
	public int recordDecryptionFailure(String openid, SessionKey sessionKey) {
		Assert.hasText(openid, "openid must not be empty");
		Assert.notNull(sessionKey, "sessionKey must not be null");
		String name = recordName(openid);
		Long count;
		try {
			count = this.redis.execute(RECORD_FAILURE, List.of(name + FAILURES, name), fingerprint(sessionKey),
					String.valueOf(this.timeToLive.toMillis()));
		}
		catch (DataAccessException ex) {
			throw new StoreAccessException("redis", "session keys", ex);
		}
		return count.intValue();
	}

	@Override
	public int reserveDecryption(String openid, SessionKey sessionKey, int budget) {
		Assert.hasText(openid, "openid must not be empty");
		Assert.notNull(sessionKey, "sessionKey must not be null");
		String name = recordName(openid);
		Long count;
		try {
			count = this.redis.execute(RESERVE_DECRYPTION, List.of(name + FAILURES, name), fingerprint(sessionKey),
					String.valueOf(this.timeToLive.toMillis()), String.valueOf(budget));
		}
		catch (DataAccessException ex) {
			throw new StoreAccessException("redis", "session keys", ex);
		}
		return count.intValue();
	}

	@Override
	public void releaseDecryption(String openid, SessionKey sessionKey) {
		Assert.hasText(openid, "openid must not be empty");
		Assert.notNull(sessionKey, "sessionKey must not be null");
		try {
			this.redis.execute(RELEASE_DECRYPTION, List.of(recordName(openid) + FAILURES), fingerprint(sessionKey));
		}
		catch (DataAccessException ex) {
			throw new StoreAccessException("redis", "session keys", ex);
		}
	}

	private String sealed(SessionKey sessionKey, String name) {
		byte[] bytes = sessionKey.bytes();
		try {
			return this.encryption.encrypt(bytes, name);
		}
		finally {
			Arrays.fill(bytes, (byte) 0);
		}
	}

	private static SessionKey unsealed(byte[] bytes) {
		try {
			return SessionKey.ofBytes(bytes);
		}
		finally {
			Arrays.fill(bytes, (byte) 0);
		}
	}

	/**
	 * Names the key a count belongs to without storing it: a one-way digest of 128 random
	 * bits.
	 * @param sessionKey the session key, whose bytes are wiped after use
	 * @return 32 hex digits
	 */
	private static String fingerprint(SessionKey sessionKey) {
		byte[] bytes = sessionKey.bytes();
		byte[] hash = Sha256.digest("wechat-miniapp:session-key:".getBytes(StandardCharsets.US_ASCII), bytes);
		Arrays.fill(bytes, (byte) 0);
		return HexFormat.of().formatHex(hash, 0, 16);
	}

	private SessionKey read(String value, String name) {
		if (value == null) {
			return null;
		}
		try {
			String stored = value.substring(value.indexOf(FINGERPRINT_END) + 1);
			return (this.encryption != null) ? unsealed(this.encryption.decrypt(stored, name))
					: SessionKey.ofBase64(stored);
		}
		catch (RuntimeException ex) {
			// Written with another encryption key or by something else: as good as
			// absent, so the user logs in again.
			logger.warn("A stored session key could not be read and is ignored (was the encryption key changed?)");
			return null;
		}
	}

	@Override
	public void remove(String openid) {
		if (openid == null || openid.isEmpty()) {
			return;
		}
		try {
			this.redis.delete(List.of(recordName(openid), recordName(openid) + PREVIOUS));
		}
		catch (DataAccessException ex) {
			throw new StoreAccessException("redis", "session keys", ex);
		}
	}

	/**
	 * The user's part is a hash tag: the user's keys share its slot whatever suffix
	 * follows.
	 * @param openid the user's openid
	 * @return {@code <prefix><appId>:session-key:{<openid>}}, the prefix of every key of
	 * the user's
	 */
	private String recordName(String openid) {
		return this.namespace + openid + "}";
	}

}
