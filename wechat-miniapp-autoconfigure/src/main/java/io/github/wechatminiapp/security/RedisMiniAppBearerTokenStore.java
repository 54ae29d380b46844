package io.github.wechatminiapp.security;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.github.wechatminiapp.StoreAccessException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.util.Assert;

/**
 * Bearer tokens in Redis, shared by every instance: a token issued by one is accepted,
 * and revoked, by all. One key per token,
 * {@code <prefix>bearer-token:<sha-256 of the token>}, holding JSON of the user and
 * expiring with the token; one sorted set per user,
 * {@code <prefix>bearer-tokens-of:<app id>:<openid>}, listing the user's token hashes
 * oldest first. The namespace names no app: moving an app between {@code app-id} and
 * {@code apps.*} keeps its users logged in (a token is a random secret and its record
 * names its app).
 */
public final class RedisMiniAppBearerTokenStore implements MiniAppBearerTokenStore {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final RedisOperations<String, String> redis;

	private final String namespace;

	private final String usersNamespace;

	/**
	 * Creates a store.
	 * @param redis the Redis operations
	 * @param keyPrefix what every Redis key starts with
	 */
	public RedisMiniAppBearerTokenStore(RedisOperations<String, String> redis, String keyPrefix) {
		Assert.notNull(redis, "redis must not be null");
		Assert.notNull(keyPrefix, "keyPrefix must not be null");
		this.redis = redis;
		this.namespace = keyPrefix + "bearer-token:";
		this.usersNamespace = keyPrefix + "bearer-tokens-of:";
	}

	@Override
	public void save(String tokenHash, MiniAppBearerTokenRecord record, Duration timeToLive) {
		try {
			this.redis.opsForValue().set(this.namespace + tokenHash, write(record), timeToLive);
			String user = userKey(record.principal().appId(), record.principal().openid());
			this.redis.opsForZSet().add(user, tokenHash, record.absoluteExpiry().toEpochMilli());
			// The newest token expires last: the list lives as long as it can.
			this.redis.expire(user, CaffeineMiniAppBearerTokenStore.untilAbsoluteExpiry(record, timeToLive));
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

	@Override
	public List<String> findTokenHashes(String appId, String openid) {
		String user = userKey(appId, openid);
		try {
			Set<String> hashes = this.redis.opsForZSet().range(user, 0, -1);
			if (hashes == null || hashes.isEmpty()) {
				return List.of();
			}
			List<String> live = new ArrayList<>(hashes.size());
			for (String hash : hashes) {
				if (Boolean.TRUE.equals(this.redis.hasKey(this.namespace + hash))) {
					live.add(hash);
				}
				else {
					this.redis.opsForZSet().remove(user, hash);
				}
			}
			return live;
		}
		catch (DataAccessException ex) {
			throw failed(ex);
		}
	}

	@Override
	public void removeAll(String appId, String openid) {
		String user = userKey(appId, openid);
		try {
			Set<String> hashes = this.redis.opsForZSet().range(user, 0, -1);
			List<String> keys = new ArrayList<>();
			if (hashes != null) {
				hashes.forEach((hash) -> keys.add(this.namespace + hash));
			}
			keys.add(user);
			this.redis.delete(keys);
		}
		catch (DataAccessException ex) {
			throw failed(ex);
		}
	}

	private String userKey(String appId, String openid) {
		return this.usersNamespace + appId + ":" + openid;
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
			return Optional.of(new MiniAppBearerTokenRecord(
					new MiniAppPrincipal(stored.appId(), stored.openid(), stored.unionid()), stored.authorities(),
					Instant.ofEpochMilli(stored.absoluteExpiry()), Instant.ofEpochMilli(stored.expiry())));
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
