package io.github.wechatminiapp.session;

import java.time.Duration;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.wechatminiapp.StoreAccessException;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * Session keys in Redis, shared by every instance of the backend: one key per user, named
 * {@code <prefix><app id>:session-key:<openid>}, expiring a fixed time after the last login. With an encryption
 * key the stored value is AES-GCM ciphertext rather than the session key itself.
 */
public final class RedisSessionKeyRepository implements SessionKeyRepository {

	private static final Log logger = LogFactory.getLog(RedisSessionKeyRepository.class);

	private final StringRedisTemplate redis;

	private final String namespace;

	private final Duration timeToLive;

	private final SessionKeyEncryption encryption;

	/**
	 * Creates a repository.
	 * @param redis the Redis template
	 * @param keyPrefix what every Redis key starts with
	 * @param appId the app id, part of every Redis key so that apps sharing a Redis stay apart
	 * @param timeToLive how long a saved key is kept
	 * @param encryption the encryption at rest, or {@code null} to store the Base64 key
	 */
	public RedisSessionKeyRepository(StringRedisTemplate redis, String keyPrefix, String appId, Duration timeToLive,
			SessionKeyEncryption encryption) {
		Assert.notNull(redis, "redis must not be null");
		Assert.isTrue(!timeToLive.isZero() && !timeToLive.isNegative(), "timeToLive must be positive");
		this.redis = redis;
		this.namespace = keyPrefix + appId + ":session-key:";
		this.timeToLive = timeToLive;
		this.encryption = encryption;
	}

	@Override
	public void save(String openid, SessionKey sessionKey) {
		Assert.hasText(openid, "openid must not be empty");
		Assert.notNull(sessionKey, "sessionKey must not be null");
		String name = recordName(openid);
		String value = (this.encryption != null) ? this.encryption.encrypt(sessionKey, name) : sessionKey.toBase64();
		try {
			this.redis.opsForValue().set(name, value, this.timeToLive);
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
		if (value == null) {
			return Optional.empty();
		}
		try {
			return Optional.of((this.encryption != null) ? this.encryption.decrypt(value, name)
					: SessionKey.ofBase64(value));
		}
		catch (RuntimeException ex) {
			// Written with another encryption key or by something else: as good as absent, so the user logs in again.
			logger.warn("A stored session key could not be read and is ignored (was the encryption key changed?)");
			return Optional.empty();
		}
	}

	@Override
	public void remove(String openid) {
		if (openid == null || openid.isEmpty()) {
			return;
		}
		try {
			this.redis.delete(recordName(openid));
		}
		catch (DataAccessException ex) {
			throw new StoreAccessException("redis", "session keys", ex);
		}
	}

	private String recordName(String openid) {
		return this.namespace + openid;
	}

}
