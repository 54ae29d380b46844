package io.github.wechatminiapp.token;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.github.wechatminiapp.StoreAccessException;
import io.github.wechatminiapp.crypto.AtRestCipher;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The access token in Redis, shared by every instance: {@code <prefix>{<app
 * id>}:access-token}, expiring with the token, and a short lock
 * ({@code ...:access-token:lock}) that lets one instance at a time fetch a new one. The
 * lock holds a value unique to its owner, is released only by that owner, and expires if
 * the owner crashes. A token is written by a compare-and-set script that never replaces a
 * token expiring later, so an instance that answers late cannot undo another's refresh.
 * Forced refreshes are counted in {@code ...:access-token:forced-refresh} (the last one,
 * today's count, and a block after WeChat's 45009), by scripts, so every instance sees
 * one budget. With an encryption key, the token is stored AES-GCM encrypted, bound to its
 * Redis key.
 * <p>
 * The braces around the app id are a Redis Cluster hash tag: the token, its lock and its
 * forced-refresh ledger are in one hash slot, so on a cluster they live on one node and
 * any script may name several of them.
 */
public final class RedisAccessTokenStore implements AccessTokenStore, AccessTokenLock, ForcedRefreshLedger {

	private static final String SEPARATOR = "|";

	/** Long enough to outlive a WeChat day and the interval between forced refreshes. */
	private static final Duration LEDGER_TTL = Duration.ofDays(2);

	private static final RedisScript<Long> PUT_UNLESS_NEWER = RedisScript.of("""
			local v = redis.call('GET', KEYS[1])
			if v then
			  local e = tonumber(string.match(v, '|(%d+)$'))
			  if e and e > tonumber(ARGV[2]) then
			    return 0
			  end
			end
			redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
			return 1
			""", Long.class);

	private static final RedisScript<Long> DELETE_IF_EQUAL = RedisScript.of("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then
			  return redis.call('DEL', KEYS[1])
			end
			return 0
			""", Long.class);

	/**
	 * 0: granted and counted; 1: too soon after the last one; 2: the day's budget is used
	 * up or blocked.
	 */
	private static final RedisScript<Long> CLAIM_FORCED_REFRESH = RedisScript.of("""
			local f = redis.call('HMGET', KEYS[1], 'last', 'day', 'count', 'blocked')
			local now = tonumber(ARGV[1])
			if f[4] and now < tonumber(f[4]) then
			  return 2
			end
			if f[1] and now < tonumber(f[1]) + tonumber(ARGV[2]) then
			  return 1
			end
			local count = 0
			if f[2] == ARGV[4] and f[3] then
			  count = tonumber(f[3])
			end
			if count >= tonumber(ARGV[3]) then
			  return 2
			end
			redis.call('HSET', KEYS[1], 'last', ARGV[1], 'day', ARGV[4], 'count', tostring(count + 1))
			redis.call('PEXPIRE', KEYS[1], ARGV[5])
			return 0
			""", Long.class);

	private static final RedisScript<Long> BLOCK_FORCED_REFRESHES = RedisScript.of("""
			redis.call('HSET', KEYS[1], 'blocked', ARGV[1])
			redis.call('PEXPIRE', KEYS[1], ARGV[2])
			return 1
			""", Long.class);

	/** What every key starts with unless {@link #setKeyPrefix(String)} says otherwise. */
	public static final String DEFAULT_KEY_PREFIX = "wechat:miniapp:";

	private final RedisOperations<String, String> redis;

	private final String appId;

	private String tokenKey;

	private String lockKey;

	private String forcedRefreshKey;

	private @Nullable AtRestCipher encryption;

	/**
	 * Creates a store that keeps the token in clear under {@value #DEFAULT_KEY_PREFIX}.
	 * @param redis the Redis operations, with string keys and values
	 * @param appId the app id, part of the Redis keys
	 */
	public RedisAccessTokenStore(RedisOperations<String, String> redis, String appId) {
		this.redis = Objects.requireNonNull(redis, "redis must not be null");
		this.appId = Objects.requireNonNull(appId, "appId must not be null");
		setKeyPrefix(DEFAULT_KEY_PREFIX);
	}

	/**
	 * What every Redis key starts with.
	 * @param keyPrefix the prefix
	 */
	public void setKeyPrefix(String keyPrefix) {
		this.tokenKey = Objects.requireNonNull(keyPrefix, "keyPrefix must not be null") + "{" + this.appId
				+ "}:access-token";
		this.lockKey = this.tokenKey + ":lock";
		this.forcedRefreshKey = this.tokenKey + ":forced-refresh";
	}

	/**
	 * Encrypts the token at rest, bound to its Redis key; by default it is kept in clear.
	 * @param encryption the encryption, or {@code null} to keep the token in clear
	 */
	public void setEncryption(@Nullable AtRestCipher encryption) {
		this.encryption = encryption;
	}

	@Override
	public Optional<CachedAccessToken> get() {
		return parse(call(() -> this.redis.opsForValue().get(this.tokenKey)));
	}

	private Optional<CachedAccessToken> parse(String stored) {
		if (stored == null) {
			return Optional.empty();
		}
		String[] parts = stored.split("\\|", 3);
		if (parts.length != 3) {
			return Optional.empty();
		}
		try {
			Instant refreshAt = Instant.ofEpochMilli(Long.parseLong(parts[1]));
			Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(parts[2]));
			// Unreadable (another key, or written before encryption was turned on): as if
			// absent, fetched again.
			String value = (this.encryption != null)
					? new String(this.encryption.decrypt(parts[0], this.tokenKey), StandardCharsets.UTF_8) : parts[0];
			return Optional.of(new CachedAccessToken(value, refreshAt, expiresAt));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	@Override
	public void put(CachedAccessToken token) {
		Duration ttl = Duration.between(Instant.now(), token.expiresAt());
		if (ttl.isNegative() || ttl.isZero()) {
			return;
		}
		String value = ((this.encryption != null)
				? this.encryption.encrypt(token.value().getBytes(StandardCharsets.UTF_8), this.tokenKey)
				: token.value()) + SEPARATOR + token.refreshAt().toEpochMilli() + SEPARATOR
				+ token.expiresAt().toEpochMilli();
		call(() -> this.redis.execute(PUT_UNLESS_NEWER, List.of(this.tokenKey), value,
				Long.toString(token.expiresAt().toEpochMilli()), Long.toString(ttl.toMillis())));
	}

	@Override
	public void evict(String value) {
		String stored = call(() -> this.redis.opsForValue().get(this.tokenKey));
		CachedAccessToken current = parse(stored).orElse(null);
		if (current != null && current.value().equals(value)) {
			// Deleted only if unchanged since read: a token written in between stays.
			call(() -> this.redis.execute(DELETE_IF_EQUAL, List.of(this.tokenKey), stored));
		}
	}

	@Override
	public boolean tryLock(String owner, Duration leaseTime) {
		return Boolean.TRUE.equals(call(() -> this.redis.opsForValue().setIfAbsent(this.lockKey, owner, leaseTime)));
	}

	@Override
	public void unlock(String owner) {
		call(() -> this.redis.execute(DELETE_IF_EQUAL, List.of(this.lockKey), owner));
	}

	@Override
	public ForcedRefreshClaim tryClaimForcedRefresh(Instant now, Duration interval, int perDay) {
		Long answer = call(() -> this.redis.execute(CLAIM_FORCED_REFRESH, List.of(this.forcedRefreshKey),
				Long.toString(now.toEpochMilli()), Long.toString(interval.toMillis()), Integer.toString(perDay),
				LocalForcedRefreshLedger.day(now).toString(), Long.toString(LEDGER_TTL.toMillis())));
		if (answer == null || answer == 2L) {
			return ForcedRefreshClaim.DAILY_LIMIT_REACHED;
		}
		return (answer == 0L) ? ForcedRefreshClaim.GRANTED : ForcedRefreshClaim.TOO_SOON;
	}

	@Override
	public void blockForcedRefreshes(Instant until) {
		call(() -> this.redis.execute(BLOCK_FORCED_REFRESHES, List.of(this.forcedRefreshKey),
				Long.toString(until.toEpochMilli()), Long.toString(LEDGER_TTL.toMillis())));
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
