package io.github.wechatminiapp.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.wechatminiapp.StoreAccessException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * Session keys in Redis, shared by every instance of the backend: one key per user, named
 * {@code <prefix><app id>:session-key:{<openid>}}, expiring a fixed time after the last login, and the key a login
 * replaced under {@code ...:{<openid>}:previous} for a shorter, bounded time. With an encryption key the stored
 * values are AES-GCM ciphertext rather than the session keys themselves. Each value starts with a fingerprint of
 * its key (a truncated SHA-256 of it, never the key), so that Redis can tell the same key saved again from another.
 * <p>
 * A login is one round trip: a Lua script moves the current key to {@code :previous} if the new one differs, sets
 * the new one and keeps or resets the failure count, atomically. The braces are a Redis Cluster hash tag: all of a
 * user's keys are in one hash slot, so the script, and the {@code MGET} that reads the current and the previous key,
 * work on a cluster.
 * <p>
 * Decryption failures are counted in the hash {@code ...:{<openid>}:failures} (fields {@code count} and
 * {@code key}, the fingerprint of the key the count belongs to), by one Lua script so that every instance shares one
 * atomic count; it expires with the session key and survives {@link #remove(String)}.
 */
public final class RedisSessionKeyRepository implements SessionKeyRepository {

	private static final Log logger = LogFactory.getLog(RedisSessionKeyRepository.class);

	private static final String PREVIOUS = ":previous";

	private static final String FAILURES = ":failures";

	/** Ends the fingerprint that starts every stored value; neither hex nor Base64 contains it. */
	private static final char FINGERPRINT_END = ':';

	/** Counts one failure against the key read (KEYS[2]); the count expires with that key. */
	private static final RedisScript<Long> RECORD_FAILURE = new DefaultRedisScript<>("""
			if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('HSET', KEYS[1], 'key', ARGV[1]) end
			local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
			local ttl = redis.call('PTTL', KEYS[2])
			if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
			return count
			""", Long.class);

	/**
	 * A login: the current value (KEYS[1]) becomes the previous one (KEYS[2], for ARGV[3] ms, none if 0) unless it
	 * holds the same key, whose fingerprint (ARGV[2]) starts the new value (ARGV[1], for ARGV[4] ms); the failure
	 * count (KEYS[3]) stays, for as long as the key now lives, if it belongs to the same key, and starts afresh
	 * otherwise.
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

	private final StringRedisTemplate redis;

	private final String namespace;

	private final Duration timeToLive;

	private final SessionKeyEncryption encryption;

	private final Duration previousKeyTimeToLive;

	/**
	 * Creates a repository that keeps a replaced key for five minutes.
	 * @param redis the Redis template
	 * @param keyPrefix what every Redis key starts with
	 * @param appId the app id, part of every Redis key so that apps sharing a Redis stay apart
	 * @param timeToLive how long a saved key is kept
	 * @param encryption the encryption at rest, or {@code null} to store the Base64 key
	 */
	public RedisSessionKeyRepository(StringRedisTemplate redis, String keyPrefix, String appId, Duration timeToLive,
			@Nullable SessionKeyEncryption encryption) {
		this(redis, keyPrefix, appId, timeToLive, encryption, DEFAULT_PREVIOUS_KEY_TIME_TO_LIVE);
	}

	/**
	 * Creates a repository.
	 * @param redis the Redis template
	 * @param keyPrefix what every Redis key starts with
	 * @param appId the app id, part of every Redis key so that apps sharing a Redis stay apart
	 * @param timeToLive how long a saved key is kept
	 * @param encryption the encryption at rest, or {@code null} to store the Base64 key
	 * @param previousKeyTimeToLive how long a replaced key is kept as the previous one; zero keeps none
	 */
	public RedisSessionKeyRepository(StringRedisTemplate redis, String keyPrefix, String appId, Duration timeToLive,
			@Nullable SessionKeyEncryption encryption, Duration previousKeyTimeToLive) {
		Assert.notNull(redis, "redis must not be null");
		Assert.isTrue(!timeToLive.isZero() && !timeToLive.isNegative(), "timeToLive must be positive");
		Assert.isTrue(!previousKeyTimeToLive.isNegative(), "previousKeyTimeToLive must not be negative");
		this.redis = redis;
		this.namespace = keyPrefix + appId + ":session-key:{";
		this.timeToLive = timeToLive;
		this.encryption = encryption;
		this.previousKeyTimeToLive = previousKeyTimeToLive;
	}

	@Override
	public void save(String openid, SessionKey sessionKey) {
		Assert.hasText(openid, "openid must not be empty");
		Assert.notNull(sessionKey, "sessionKey must not be null");
		String name = recordName(openid);
		String fingerprint = fingerprint(sessionKey);
		String value = fingerprint + FINGERPRINT_END
				+ ((this.encryption != null) ? this.encryption.encrypt(sessionKey, name) : sessionKey.toBase64());
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

	/** Names the key a count belongs to without storing it: a one-way digest of 128 random bits. */
	private static String fingerprint(SessionKey sessionKey) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update("wechat-miniapp:session-key:".getBytes(StandardCharsets.US_ASCII));
			byte[] bytes = sessionKey.bytes();
			byte[] hash = digest.digest(bytes);
			java.util.Arrays.fill(bytes, (byte) 0);
			return HexFormat.of().formatHex(hash, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

	private SessionKey read(String value, String name) {
		if (value == null) {
			return null;
		}
		try {
			String stored = value.substring(value.indexOf(FINGERPRINT_END) + 1);
			return (this.encryption != null) ? this.encryption.decrypt(stored, name) : SessionKey.ofBase64(stored);
		}
		catch (RuntimeException ex) {
			// Written with another encryption key or by something else: as good as absent, so the user logs in again.
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

	/** The user's part is a hash tag: the user's keys share its slot whatever suffix follows. */
	private String recordName(String openid) {
		return this.namespace + openid + "}";
	}

}
