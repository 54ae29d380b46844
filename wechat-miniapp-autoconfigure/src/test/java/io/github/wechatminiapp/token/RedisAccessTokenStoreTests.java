package io.github.wechatminiapp.token;

import java.time.Duration;
import java.time.Instant;

import io.github.wechatminiapp.crypto.AtRestCipher;
import io.github.wechatminiapp.testsupport.redis.RedisDeployment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis access-token store's compare-and-set, encryption at rest and forced-refresh
 * budget, against a real Redis server and a real Redis Cluster of three masters, with two
 * stores on two connections standing for two instances.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RedisDeployment.class)
class RedisAccessTokenStoreTests {

	private static final String APP_ID = "wx0123456789abcdef";

	private static final String TOKEN_KEY = "test:{" + APP_ID + "}:access-token";

	private static final String ENCRYPTION_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

	private static final Duration INTERVAL = Duration.ofSeconds(30);

	/** 2026-11-26T12:00 in Beijing. */
	private static final Instant NOON_BEIJING = Instant.parse("2026-11-26T04:00:00Z");

	private static RedisDeployment.Running redis;

	private static LettuceConnectionFactory first;

	private static LettuceConnectionFactory second;

	@Parameter
	RedisDeployment deployment;

	private final StringRedisTemplate template = new StringRedisTemplate(first);

	private final RedisAccessTokenStore instanceA = store(this.template, APP_ID);

	private final RedisAccessTokenStore instanceB = store(new StringRedisTemplate(second), APP_ID);

	@BeforeParameterizedClassInvocation
	static void start(RedisDeployment deployment) {
		redis = deployment.start();
		first = redis.connectionFactory();
		second = redis.connectionFactory();
	}

	@AfterParameterizedClassInvocation
	static void stop() {
		first.destroy();
		second.destroy();
		redis.close();
	}

	@BeforeEach
	void flush() {
		this.template.execute((org.springframework.data.redis.core.RedisCallback<Void>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

	private static CachedAccessToken token(String value, Duration expiresIn) {
		Instant now = Instant.now();
		return new CachedAccessToken(value, now.plus(expiresIn.dividedBy(2)), now.plus(expiresIn));
	}

	@Test
	void aLateWriterNeverReplacesATokenThatExpiresLater() {
		this.instanceA.put(token("newer", Duration.ofMinutes(120)));
		// Fetched before the other instance's refresh, answered after it.
		this.instanceB.put(token("older", Duration.ofMinutes(90)));
		assertThat(this.instanceA.get()).map(CachedAccessToken::value).contains("newer");
		this.instanceB.put(token("newest", Duration.ofMinutes(121)));
		assertThat(this.instanceA.get()).map(CachedAccessToken::value).contains("newest");
		this.instanceB.put(token("newest", Duration.ofMinutes(121).minusMillis(1)));
		assertThat(this.instanceA.get()).map(CachedAccessToken::value).contains("newest");
	}

	@Test
	void aTokenExpiringAtTheSameTimeMayBeWrittenAgain() {
		CachedAccessToken token = token("same", Duration.ofMinutes(60));
		this.instanceA.put(token);
		CachedAccessToken again = new CachedAccessToken("same-again", token.refreshAt(), token.expiresAt());
		this.instanceB.put(again);
		assertThat(this.instanceA.get()).map(CachedAccessToken::value).contains("same-again");
	}

	@Test
	void anExpiredTokenIsNeverWritten() {
		Instant now = Instant.now();
		this.instanceA.put(new CachedAccessToken("expired", now.minusSeconds(10), now.minusMillis(1)));
		assertThat(this.template.hasKey(TOKEN_KEY)).isFalse();
	}

	@Test
	void afterEvictionAnyTokenMayBeWritten() {
		this.instanceA.put(token("first", Duration.ofMinutes(120)));
		this.instanceB.evict("first");
		this.instanceB.put(token("second", Duration.ofMinutes(30)));
		assertThat(this.instanceA.get()).map(CachedAccessToken::value).contains("second");
	}

	@Test
	void withAnEncryptionKeyTheTokenIsNotStoredInClear() {
		AtRestCipher encryption = new AtRestCipher(ENCRYPTION_KEY);
		RedisAccessTokenStore encrypted = store(this.template, APP_ID, encryption);
		String secretToken = "ACCESS_TOKEN_" + "x".repeat(120);
		encrypted.put(token(secretToken, Duration.ofMinutes(120)));
		String raw = this.template.opsForValue().get(TOKEN_KEY);
		assertThat(raw).doesNotContain(secretToken).doesNotContain("ACCESS_TOKEN_").doesNotContain("xxxx");
		assertThat(encrypted.get()).map(CachedAccessToken::value).contains(secretToken);
		// Without the key, or under another key, or moved to another app's record:
		// unreadable, as if absent.
		assertThat(this.instanceA.get()).map(CachedAccessToken::value)
			.hasValueSatisfying((value) -> assertThat(value).isNotEqualTo(secretToken));
		assertThat(store(this.template, APP_ID, new AtRestCipher("ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=")).get())
			.isEmpty();
		this.template.opsForValue().set("test:{wx1111111111111111}:access-token", raw);
		assertThat(store(this.template, "wx1111111111111111", encryption).get()).isEmpty();
		// A later token still wins, and eviction compares the decrypted value.
		encrypted.evict("someone-else");
		assertThat(encrypted.get()).isPresent();
		encrypted.evict(secretToken);
		assertThat(encrypted.get()).isEmpty();
	}

	@Test
	void aMalformedStoredValueReadsAsAbsent() {
		for (String stored : new String[] { "no-separators", "tok|x|1", "tok|1|y", "tok|1" }) {
			this.template.opsForValue().set(TOKEN_KEY, stored);
			assertThat(this.instanceA.get()).as(stored).isEmpty();
		}
	}

	@Test
	void oneForcedRefreshPerIntervalAcrossInstances() {
		assertThat(this.instanceA.tryClaimForcedRefresh(NOON_BEIJING, INTERVAL, 10))
			.isEqualTo(ForcedRefreshClaim.GRANTED);
		assertThat(this.instanceB.tryClaimForcedRefresh(NOON_BEIJING, INTERVAL, 10))
			.isEqualTo(ForcedRefreshClaim.TOO_SOON);
		assertThat(this.instanceB.tryClaimForcedRefresh(NOON_BEIJING.plus(INTERVAL).minusMillis(1), INTERVAL, 10))
			.isEqualTo(ForcedRefreshClaim.TOO_SOON);
		assertThat(this.instanceB.tryClaimForcedRefresh(NOON_BEIJING.plus(INTERVAL), INTERVAL, 10))
			.isEqualTo(ForcedRefreshClaim.GRANTED);
		assertThat(this.instanceA.tryClaimForcedRefresh(NOON_BEIJING.plus(INTERVAL), INTERVAL, 10))
			.isEqualTo(ForcedRefreshClaim.TOO_SOON);
		assertThat(this.template.getExpire(TOKEN_KEY + ":forced-refresh")).isBetween(2 * 86400L - 5, 2 * 86400L);
	}

	@Test
	void theDailyBudgetIsSharedAndStartsAgainAtMidnightInBeijing() {
		Instant now = NOON_BEIJING;
		for (int i = 0; i < 3; i++) {
			RedisAccessTokenStore store = (i % 2 == 0) ? this.instanceA : this.instanceB;
			assertThat(store.tryClaimForcedRefresh(now, INTERVAL, 3)).isEqualTo(ForcedRefreshClaim.GRANTED);
			now = now.plus(INTERVAL);
		}
		assertThat(this.instanceB.tryClaimForcedRefresh(now, INTERVAL, 3))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
		assertThat(this.instanceA.tryClaimForcedRefresh(now, INTERVAL, 4)).isEqualTo(ForcedRefreshClaim.GRANTED);
		Instant lastMinuteOfTheDay = Instant.parse("2026-11-26T15:59:59Z");
		assertThat(this.instanceA.tryClaimForcedRefresh(lastMinuteOfTheDay, INTERVAL, 4))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
		Instant midnight = Instant.parse("2026-11-26T16:00:00Z");
		assertThat(this.instanceB.tryClaimForcedRefresh(midnight, INTERVAL, 4)).isEqualTo(ForcedRefreshClaim.GRANTED);
		assertThat(this.instanceA.tryClaimForcedRefresh(midnight.plus(INTERVAL), INTERVAL, 1))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
		assertThat(this.instanceA.tryClaimForcedRefresh(midnight.plus(INTERVAL), INTERVAL, 2))
			.isEqualTo(ForcedRefreshClaim.GRANTED);
	}

	@Test
	void aBudgetOfZeroNeverGrants() {
		assertThat(this.instanceA.tryClaimForcedRefresh(NOON_BEIJING, INTERVAL, 0))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
	}

	@Test
	void aBlockAfter45009HoldsForEveryInstanceUntilItEnds() {
		Instant until = NOON_BEIJING.plus(Duration.ofHours(12));
		this.instanceA.blockForcedRefreshes(until);
		assertThat(this.instanceB.tryClaimForcedRefresh(NOON_BEIJING, INTERVAL, 10))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
		assertThat(this.instanceB.tryClaimForcedRefresh(until.minusMillis(1), INTERVAL, 10))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
		assertThat(this.instanceB.tryClaimForcedRefresh(until, INTERVAL, 10)).isEqualTo(ForcedRefreshClaim.GRANTED);
	}

	@Test
	void theTokenItsLockAndItsLedgerShareOneHashSlotAndNameTheApp() {
		this.instanceA.put(token("tok", Duration.ofMinutes(120)));
		assertThat(this.instanceA.tryLock("owner-a", Duration.ofSeconds(5))).isTrue();
		this.instanceA.tryClaimForcedRefresh(NOON_BEIJING, INTERVAL, 10);
		java.util.Set<String> keys = this.template.keys("*");
		assertThat(keys).containsExactlyInAnyOrder(TOKEN_KEY, TOKEN_KEY + ":lock", TOKEN_KEY + ":forced-refresh");
		assertThat(keys).allSatisfy((key) -> assertThat(io.lettuce.core.cluster.SlotHash.getSlot(key))
			.isEqualTo(io.lettuce.core.cluster.SlotHash.getSlot(APP_ID)));
	}

	private static RedisAccessTokenStore store(
			org.springframework.data.redis.core.RedisOperations<String, String> redis, String appId) {
		return store(redis, appId, null);
	}

	private static RedisAccessTokenStore store(
			org.springframework.data.redis.core.RedisOperations<String, String> redis, String appId,
			io.github.wechatminiapp.crypto.AtRestCipher encryption) {
		RedisAccessTokenStore store = new RedisAccessTokenStore(redis, appId);
		store.setKeyPrefix("test:");
		store.setEncryption(encryption);
		return store;
	}

}
