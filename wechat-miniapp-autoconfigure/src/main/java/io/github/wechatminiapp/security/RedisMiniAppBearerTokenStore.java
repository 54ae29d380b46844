package io.github.wechatminiapp.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.github.wechatminiapp.StoreAccessException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * Bearer tokens in Redis, shared by every instance: a token issued by one is accepted, and revoked, by all. One key
 * per token, {@code <prefix><app id>:bearer-token:<sha-256 of the token>}, holding JSON of the user and expiring
 * with the token.
 */
public final class RedisMiniAppBearerTokenStore implements MiniAppBearerTokenStore {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final StringRedisTemplate redis;

	private final String namespace;

	/**
	 * Creates a store.
	 * @param redis the Redis template
	 * @param keyPrefix what every Redis key starts with
	 * @param appId the namespace after the prefix: the app id of a single-app backend, or one name shared by all
	 * apps of a backend (a token is a random secret and its record names its app)
	 */
	public RedisMiniAppBearerTokenStore(StringRedisTemplate redis, String keyPrefix, String appId) {
		Assert.notNull(redis, "redis must not be null");
		this.redis = redis;
		this.namespace = keyPrefix + appId + ":bearer-token:";
	}

	@Override
	public void save(String tokenHash, MiniAppBearerTokenRecord record, Duration timeToLive) {
		try {
			this.redis.opsForValue().set(this.namespace + tokenHash, write(record), timeToLive);
		}
		catch (DataAccessException ex) {
			throw failed(ex);
		}
	}

	@Override
	public void replaceIfPresent(String tokenHash, MiniAppBearerTokenRecord record, Duration timeToLive) {
		try {
			// SET ... XX: a token deleted (revoked) meanwhile stays deleted.
			this.redis.opsForValue().setIfPresent(this.namespace + tokenHash, write(record), timeToLive);
		}
		catch (DataAccessException ex) {
			throw failed(ex);
		}
	}

	@Override
	public Optional<MiniAppBearerTokenRecord> find(String tokenHash) {
		String value;
		try {
			value = this.redis.opsForValue().get(this.namespace + tokenHash);
		}
		catch (DataAccessException ex) {
			throw failed(ex);
		}
		return Optional.ofNullable(value).flatMap(RedisMiniAppBearerTokenStore::read);
	}

	@Override
	public void remove(String tokenHash) {
		try {
			this.redis.delete(this.namespace + tokenHash);
		}
		catch (DataAccessException ex) {
			throw failed(ex);
		}
	}

	private static StoreAccessException failed(DataAccessException ex) {
		return new StoreAccessException("redis", "bearer tokens", ex);
	}

	private static String write(MiniAppBearerTokenRecord record) {
		MiniAppPrincipal principal = record.principal();
		return JSON.writeValueAsString(new Stored(principal.appId(), principal.openid(), principal.unionid(),
				record.authorities(), record.absoluteExpiry().toEpochMilli(), record.expiry().toEpochMilli()));
	}

	private static Optional<MiniAppBearerTokenRecord> read(String value) {
		try {
			Stored stored = JSON.readValue(value, Stored.class);
			return Optional.of(new MiniAppBearerTokenRecord(new MiniAppPrincipal(stored.appId(), stored.openid(),
					stored.unionid()), stored.authorities(), Instant.ofEpochMilli(stored.absoluteExpiry()),
					Instant.ofEpochMilli(stored.expiry())));
		}
		catch (JacksonException | IllegalArgumentException | NullPointerException ex) {
			// Written by something else: as good as absent, the user logs in again.
			return Optional.empty();
		}
	}

	private record Stored(String appId, String openid, String unionid, List<String> authorities, long absoluteExpiry,
			long expiry) {
	}

}
