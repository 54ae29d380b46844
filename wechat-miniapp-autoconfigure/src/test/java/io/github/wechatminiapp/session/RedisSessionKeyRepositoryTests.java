package io.github.wechatminiapp.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.wechatminiapp.crypto.AtRestCipher;
import io.github.wechatminiapp.testsupport.redis.EmbeddedRedis;
import io.github.wechatminiapp.testsupport.redis.RedisDeployment;
import io.github.wechatminiapp.token.CachedAccessToken;
import io.github.wechatminiapp.token.RedisAccessTokenStore;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis session-key repository against a real Redis server, and against a real Redis
 * Cluster of three masters where every script and multi-key command must keep to one hash
 * slot.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RedisDeployment.class)
class RedisSessionKeyRepositoryTests {

	private static final String APP_ID = "wx0123456789abcdef";

	private static final SessionKey K1 = SessionKey.ofBase64("tiihtNczf5v6AKRyjwEUhQ==");

	private static final SessionKey K2 = SessionKey.ofBase64("HyVFkGl5F5OQWJZZaNzBBg==");

	private static final String ENCRYPTION_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

	private static final String SESSION_KEY = "test:" + APP_ID + ":session-key:";

	private static RedisDeployment.Running redis;

	private static LettuceConnectionFactory connectionFactory;

	@Parameter
	RedisDeployment deployment;

	private final StringRedisTemplate template = new StringRedisTemplate(connectionFactory);

	@BeforeParameterizedClassInvocation
	static void start(RedisDeployment deployment) {
		redis = deployment.start();
		connectionFactory = redis.connectionFactory();
	}

	@AfterParameterizedClassInvocation
	static void stop() {
		connectionFactory.destroy();
		redis.close();
	}

	@BeforeEach
	void flush() {
		this.template.execute((org.springframework.data.redis.core.RedisCallback<Void>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

	private RedisSessionKeyRepository repository(Duration ttl, AtRestCipher encryption) {
		return newRepository(this.template, ttl, encryption);
	}

	private static RedisSessionKeyRepository newRepository(RedisOperations<String, String> redis, Duration ttl,
			AtRestCipher encryption) {
		return newRepository(redis, ttl, encryption, SessionKeyRepository.DEFAULT_PREVIOUS_KEY_TIME_TO_LIVE);
	}

	private static RedisSessionKeyRepository newRepository(RedisOperations<String, String> redis, Duration ttl,
			AtRestCipher encryption, Duration previousKeyTimeToLive) {
		RedisSessionKeyRepository repository = new RedisSessionKeyRepository(redis, APP_ID);
		repository.setKeyPrefix("test:");
		repository.setTimeToLive(ttl);
		repository.setEncryption(encryption);
		repository.setPreviousKeyTimeToLive(previousKeyTimeToLive);
		return repository;
	}

	@Test
	void savesFindsReplacesAndRemovesUnderPrefixAndAppId() {
		RedisSessionKeyRepository repository = repository(Duration.ofMinutes(1), null);
		repository.save("openid-1", K1);
		repository.save("openid-2", K2);
		assertThat(this.template.keys("*")).containsExactlyInAnyOrder(SESSION_KEY + "{openid-1}",
				SESSION_KEY + "{openid-2}");
		assertThat(repository.find("openid-1")).contains(K1);
		repository.save("openid-1", K2);
		assertThat(repository.find("openid-1")).contains(K2);
		repository.remove("openid-1");
		assertThat(repository.find("openid-1")).isEmpty();
		assertThat(repository.find("openid-2")).contains(K2);
		Long ttl = this.template.getExpire(SESSION_KEY + "{openid-2}");
		assertThat(ttl).isBetween(1L, 60L);
	}

	@Test
	void keepsTheReplacedKeyAsThePreviousOneForABoundedTime() throws InterruptedException {
		RedisSessionKeyRepository repository = newRepository(this.template, Duration.ofMinutes(1),
				new AtRestCipher(ENCRYPTION_KEY), Duration.ofMillis(300));
		repository.save("openid-1", K1);
		assertThat(repository.findRecent("openid-1")).containsExactly(K1);
		repository.save("openid-1", K2);
		assertThat(repository.findRecent("openid-1")).containsExactly(K2, K1);
		repository.save("openid-1", K2);
		assertThat(repository.findRecent("openid-1")).containsExactly(K2, K1);
		Thread.sleep(450);
		assertThat(repository.findRecent("openid-1")).containsExactly(K2);
		repository.save("openid-1", K1);
		repository.remove("openid-1");
		assertThat(repository.findRecent("openid-1")).isEmpty();
		assertThat(this.template.keys("*")).isEmpty();
	}

	@Test
	void keysExpireWithTheirTimeToLive() throws InterruptedException {
		RedisSessionKeyRepository repository = repository(Duration.ofMillis(100), null);
		repository.save("openid-1", K1);
		Thread.sleep(250);
		assertThat(repository.find("openid-1")).isEmpty();
	}

	@Test
	void encryptedValuesAreNotTheSessionKey() {
		RedisSessionKeyRepository repository = repository(Duration.ofMinutes(1), new AtRestCipher(ENCRYPTION_KEY));
		repository.save("openid-1", K1);
		String stored = this.template.opsForValue().get(SESSION_KEY + "{openid-1}");
		assertThat(stored).isNotEqualTo(K1.toBase64()).doesNotContain(K1.toBase64());
		assertThat(repository.find("openid-1")).contains(K1);
		// Another instance with the same encryption key reads it.
		assertThat(repository(Duration.ofMinutes(1), new AtRestCipher(ENCRYPTION_KEY)).find("openid-1")).contains(K1);
	}

	@Test
	void encryptedValueMovedToAnotherUserOrReadWithAnotherKeyIsIgnored() {
		RedisSessionKeyRepository repository = repository(Duration.ofMinutes(1), new AtRestCipher(ENCRYPTION_KEY));
		repository.save("openid-1", K1);
		String stored = this.template.opsForValue().get(SESSION_KEY + "{openid-1}");
		this.template.opsForValue().set(SESSION_KEY + "{openid-2}", stored);
		assertThat(repository.find("openid-2")).isEmpty();
		assertThat(repository(Duration.ofMinutes(1), new AtRestCipher("ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="))
			.find("openid-1")).isEmpty();
	}

	@Test
	void accessTokenRoundTripsAndExpiresWithTheToken() {
		RedisAccessTokenStore store = store(this.template, APP_ID);
		Instant now = Instant.now();
		CachedAccessToken token = new CachedAccessToken("tok-1", now.plusSeconds(60), now.plusSeconds(120));
		store.put(token);
		assertThat(store.get()).hasValueSatisfying((read) -> {
			assertThat(read.value()).isEqualTo("tok-1");
			assertThat(read.refreshAt().toEpochMilli()).isEqualTo(token.refreshAt().toEpochMilli());
			assertThat(read.expiresAt().toEpochMilli()).isEqualTo(token.expiresAt().toEpochMilli());
		});
		assertThat(this.template.getExpire("test:{" + APP_ID + "}:access-token")).isBetween(100L, 120L);
	}

	@Test
	void evictRemovesOnlyTheNamedToken() {
		RedisAccessTokenStore store = store(this.template, APP_ID);
		Instant now = Instant.now();
		store.put(new CachedAccessToken("tok-2", now.plusSeconds(60), now.plusSeconds(120)));
		store.evict("tok-1");
		store.evict("tok");
		assertThat(store.get()).isPresent();
		store.evict("tok-2");
		assertThat(store.get()).isEmpty();
	}

	@Test
	void lockIsExclusiveReleasedOnlyByItsOwnerAndExpires() throws InterruptedException {
		RedisAccessTokenStore store = store(this.template, APP_ID);
		assertThat(store.tryLock("owner-a", Duration.ofMillis(300))).isTrue();
		assertThat(store.tryLock("owner-b", Duration.ofSeconds(5))).isFalse();
		store.unlock("owner-b");
		assertThat(store.tryLock("owner-b", Duration.ofSeconds(5))).isFalse();
		Thread.sleep(500);
		// owner-a crashed: its lease ran out.
		assertThat(store.tryLock("owner-b", Duration.ofSeconds(5))).isTrue();
		store.unlock("owner-b");
		assertThat(store.tryLock("owner-c", Duration.ofSeconds(5))).isTrue();
		assertThat(Set.of(this.template.opsForValue().get("test:{" + APP_ID + "}:access-token:lock")))
			.containsExactly("owner-c");
	}

	@Test
	void twoRepositoriesShareOneAtomicFailureCount() throws Exception {
		RedisSessionKeyRepository first = repository(Duration.ofMinutes(1), null);
		RedisSessionKeyRepository second = repository(Duration.ofMinutes(1), null);
		first.save("openid-1", K1);
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
		try {
			java.util.List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
			for (int t = 0; t < 8; t++) {
				RedisSessionKeyRepository repository = (t % 2 == 0) ? first : second;
				work.add(pool.submit(() -> {
					for (int i = 0; i < 25; i++) {
						repository.recordDecryptionFailure("openid-1", K1);
					}
				}));
			}
			for (java.util.concurrent.Future<?> future : work) {
				future.get(30, java.util.concurrent.TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(second.recordDecryptionFailure("openid-1", K1)).isEqualTo(201);
		assertThat(first.recordDecryptionFailure("openid-2", K1)).isEqualTo(1);
	}

	@Test
	void twoRepositoriesReserveAtMostTheBudgetHoweverManyRace() throws Exception {
		RedisSessionKeyRepository first = repository(Duration.ofMinutes(1), null);
		RedisSessionKeyRepository second = repository(Duration.ofMinutes(1), null);
		first.save("openid-1", K1);
		java.util.concurrent.atomic.AtomicInteger granted = new java.util.concurrent.atomic.AtomicInteger();
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
		java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
		try {
			java.util.List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
			for (int t = 0; t < 64; t++) {
				RedisSessionKeyRepository repository = (t % 2 == 0) ? first : second;
				work.add(pool.submit(() -> {
					start.await();
					if (repository.reserveDecryption("openid-1", K1, 5) <= 5) {
						granted.incrementAndGet();
					}
					return null;
				}));
			}
			start.countDown();
			for (java.util.concurrent.Future<?> future : work) {
				future.get(30, java.util.concurrent.TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(granted).hasValue(5);
		assertThat(second.reserveDecryption("openid-1", K1, 5)).isEqualTo(6);
		assertThat(second.recordDecryptionFailure("openid-1", K1)).isEqualTo(6);
	}

	@Test
	void aReservationIsGivenBackBySuccessNeverBelowZeroAndOnlyForItsKey() {
		RedisSessionKeyRepository repository = repository(Duration.ofMinutes(1), null);
		String failures = SESSION_KEY + "{openid-1}:failures";
		repository.save("openid-1", K1);
		this.template.expire(SESSION_KEY + "{openid-1}", Duration.ofSeconds(30));
		assertThat(repository.reserveDecryption("openid-1", K1, 2)).isEqualTo(1);
		assertThat(this.template.getExpire(failures)).isBetween(25L, 30L);
		assertThat(repository.reserveDecryption("openid-1", K1, 2)).isEqualTo(2);
		assertThat(repository.reserveDecryption("openid-1", K1, 2)).isEqualTo(3);
		assertThat(this.template.<String, String>opsForHash().get(failures, "count")).isEqualTo("2");
		repository.releaseDecryption("openid-1", K1);
		assertThat(repository.reserveDecryption("openid-1", K1, 2)).isEqualTo(2);
		repository.releaseDecryption("openid-1", K2);
		assertThat(repository.reserveDecryption("openid-1", K1, 2)).isEqualTo(3);
		repository.releaseDecryption("openid-1", K1);
		repository.releaseDecryption("openid-1", K1);
		repository.releaseDecryption("openid-1", K1);
		assertThat(this.template.<String, String>opsForHash().get(failures, "count")).isEqualTo("0");
		assertThat(this.template.getExpire(failures)).isBetween(25L, 30L);
		repository.releaseDecryption("openid-2", K1);
		assertThat(this.template.hasKey(SESSION_KEY + "{openid-2}:failures")).isFalse();
		// Without a key record the count lives the full time to live.
		assertThat(repository.reserveDecryption("openid-3", K1, 2)).isEqualTo(1);
		assertThat(this.template.getExpire(SESSION_KEY + "{openid-3}:failures")).isBetween(55L, 60L);
	}

	@Test
	void theFailureCountBelongsToTheKeyExpiresWithItAndSurvivesRemove() {
		RedisSessionKeyRepository repository = newRepository(this.template, Duration.ofMinutes(1),
				new AtRestCipher(ENCRYPTION_KEY));
		String name = SESSION_KEY + "{openid-1}";
		repository.save("openid-1", K1);
		this.template.expire(name, Duration.ofSeconds(30));
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(1);
		assertThat(this.template.getExpire(name + ":failures")).isBetween(25L, 30L);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(2);
		// A fingerprint names the key, never the key itself.
		assertThat(this.template.<String, String>opsForHash().entries(name + ":failures"))
			.containsOnlyKeys("count", "key")
			.containsEntry("count", "2")
			.allSatisfy((field, value) -> assertThat(value).doesNotContain(K1.toBase64()).doesNotContain("tiihtNcz"));
		// The same key again: the count stays, and lives as long as the key now does.
		repository.save("openid-1", K1);
		assertThat(this.template.getExpire(name + ":failures")).isBetween(55L, 60L);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(3);
		repository.remove("openid-1");
		assertThat(repository.findRecent("openid-1")).isEmpty();
		assertThat(this.template.hasKey(name + ":failures")).isTrue();
		repository.save("openid-1", K1);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(4);
		// Another key: a fresh count, while the replaced key is kept as the previous one.
		repository.save("openid-1", K2);
		assertThat(repository.findRecent("openid-1")).containsExactly(K2, K1);
		assertThat(repository.recordDecryptionFailure("openid-1", K2)).isEqualTo(1);
	}

	@Test
	void aFailureCountedWithoutAStoredKeyLivesTheKeysTimeToLive() {
		RedisSessionKeyRepository repository = repository(Duration.ofMinutes(10), null);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(1);
		assertThat(this.template.getExpire(SESSION_KEY + "{openid-1}:failures")).isBetween(590L, 600L);
		repository.save("openid-1", K1);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(2);
	}

	@Test
	void countingNeedsAUserAndAKey() {
		RedisSessionKeyRepository repository = repository(Duration.ofMinutes(1), null);
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> repository.recordDecryptionFailure("", K1));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> repository.recordDecryptionFailure("openid-1", null));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> repository.reserveDecryption("", K1, 5));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> repository.reserveDecryption("openid-1", null, 5));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> repository.releaseDecryption("", K1));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> repository.releaseDecryption("openid-1", null));
	}

	@Test
	void theDefaultsAreTheStartersAndNonsenseSettingsAreRefused() {
		RedisSessionKeyRepository repository = new RedisSessionKeyRepository(this.template, APP_ID);
		repository.save("openid-1", K1);
		String name = "wechat:miniapp:" + APP_ID + ":session-key:{openid-1}";
		assertThat(this.template.opsForValue().get(name)).endsWith(":" + K1.toBase64());
		assertThat(this.template.getExpire(name)).isBetween(Duration.ofDays(3).toSeconds() - 5,
				Duration.ofDays(3).toSeconds());
		repository.save("openid-1", K2);
		assertThat(this.template.getExpire(name + ":previous")).isBetween(295L, 300L);
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> new RedisSessionKeyRepository(null, APP_ID));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> new RedisSessionKeyRepository(this.template, " "));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> repository.setKeyPrefix(null));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> repository.setTimeToLive(Duration.ZERO));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> repository.setTimeToLive(Duration.ofSeconds(-1)));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> repository.setTimeToLive(null));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> repository.setPreviousKeyTimeToLive(Duration.ofSeconds(-1)));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> repository.setPreviousKeyTimeToLive(null));
	}

	@Test
	void countingOnAnUnreachableRedisIsAStoreError() {
		LettuceConnectionFactory closed = new LettuceConnectionFactory(
				new org.springframework.data.redis.connection.RedisStandaloneConfiguration("127.0.0.1",
						EmbeddedRedis.freePort()),
				org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.builder()
					.commandTimeout(Duration.ofMillis(500))
					.build());
		closed.afterPropertiesSet();
		closed.start();
		try {
			RedisSessionKeyRepository repository = newRepository(new StringRedisTemplate(closed), Duration.ofMinutes(1),
					null);
			org.assertj.core.api.Assertions
				.assertThatExceptionOfType(io.github.wechatminiapp.StoreAccessException.class)
				.isThrownBy(() -> repository.recordDecryptionFailure("openid-1", K1))
				.withMessageContaining("session keys");
			org.assertj.core.api.Assertions
				.assertThatExceptionOfType(io.github.wechatminiapp.StoreAccessException.class)
				.isThrownBy(() -> repository.reserveDecryption("openid-1", K1, 5))
				.withMessageContaining("session keys");
			org.assertj.core.api.Assertions
				.assertThatExceptionOfType(io.github.wechatminiapp.StoreAccessException.class)
				.isThrownBy(() -> repository.releaseDecryption("openid-1", K1))
				.withMessageContaining("session keys");
		}
		finally {
			closed.destroy();
		}
	}

	@Test
	void aLoginIsOneScriptAndAReadOfTheRecentKeysOneCommand() {
		LettuceConnectionFactory counted = redis.connectionFactory();
		List<String> commands = new CopyOnWriteArrayList<>();
		// Added before the first connection is made: Lettuce gives each connection the
		// listeners it has by then.
		counted.getNativeClient().addListener(new CommandListener() {

			@Override
			public void commandStarted(CommandStartedEvent event) {
				commands.add(event.getCommand().getType().toString());
			}

		});
		try {
			RedisSessionKeyRepository repository = newRepository(new StringRedisTemplate(counted),
					Duration.ofMinutes(1), new AtRestCipher(ENCRYPTION_KEY));
			// The first use loads the script into Redis.
			repository.save("openid-1", K1);
			commands.clear();
			repository.save("openid-1", K2);
			assertThat(commands).containsExactly("EVALSHA");
			commands.clear();
			assertThat(repository.findRecent("openid-1")).containsExactly(K2, K1);
			assertThat(commands).containsExactly("MGET");
			commands.clear();
			repository.remove("openid-1");
			assertThat(commands).containsExactly("DEL");
		}
		finally {
			counted.destroy();
		}
	}

	@Test
	void aUsersKeysShareOneHashSlotAndEveryKeyNamesTheApp() {
		RedisSessionKeyRepository repository = repository(Duration.ofMinutes(1), null);
		repository.save("openid-1", K1);
		repository.save("openid-1", K2);
		repository.recordDecryptionFailure("openid-1", K2);
		Set<String> keys = this.template.keys("*");
		assertThat(keys).containsExactlyInAnyOrder(SESSION_KEY + "{openid-1}", SESSION_KEY + "{openid-1}:previous",
				SESSION_KEY + "{openid-1}:failures");
		Set<Long> slots = new java.util.HashSet<>();
		for (String key : keys) {
			slots.add(io.lettuce.core.cluster.SlotHash.getSlot(key) + 0L);
		}
		assertThat(slots).containsExactly((long) io.lettuce.core.cluster.SlotHash.getSlot("openid-1"));
	}

	@Test
	void theSameKeySavedAgainIsToldApartByItsFingerprintEvenEncrypted() {
		RedisSessionKeyRepository repository = newRepository(this.template, Duration.ofMinutes(1),
				new AtRestCipher(ENCRYPTION_KEY), Duration.ofMinutes(5));
		repository.save("openid-1", K1);
		String first = this.template.opsForValue().get(SESSION_KEY + "{openid-1}");
		repository.save("openid-1", K1);
		String second = this.template.opsForValue().get(SESSION_KEY + "{openid-1}");
		// Encrypted afresh each time, yet the same key: nothing is moved to :previous.
		assertThat(second).isNotEqualTo(first);
		assertThat(first.substring(0, first.indexOf(':'))).hasSize(32)
			.isEqualTo(second.substring(0, second.indexOf(':')));
		assertThat(this.template.hasKey(SESSION_KEY + "{openid-1}:previous")).isFalse();
		assertThat(repository.findRecent("openid-1")).containsExactly(K1);
		repository.save("openid-1", K2);
		assertThat(this.template.opsForValue().get(SESSION_KEY + "{openid-1}:previous")).isEqualTo(second);
		assertThat(this.template.getExpire(SESSION_KEY + "{openid-1}:previous")).isBetween(290L, 300L);
		assertThat(repository.findRecent("openid-1")).containsExactly(K2, K1);
	}

	@Test
	void zeroPreviousKeyTimeToLiveKeepsNoPreviousKey() {
		RedisSessionKeyRepository repository = newRepository(this.template, Duration.ofMinutes(1), null, Duration.ZERO);
		repository.save("openid-1", K1);
		repository.save("openid-1", K2);
		assertThat(this.template.hasKey(SESSION_KEY + "{openid-1}:previous")).isFalse();
		assertThat(repository.findRecent("openid-1")).containsExactly(K2);
	}

	@Test
	void aValueWithoutAFingerprintIsReadAsItIs() {
		RedisSessionKeyRepository repository = repository(Duration.ofMinutes(1), null);
		this.template.opsForValue().set(SESSION_KEY + "{openid-1}", K1.toBase64());
		assertThat(repository.find("openid-1")).contains(K1);
		this.template.opsForValue()
			.set(SESSION_KEY + "{openid-1}", "0123456789abcdef0123456789abcdef:" + K2.toBase64());
		assertThat(repository.find("openid-1")).contains(K2);
		this.template.opsForValue().set(SESSION_KEY + "{openid-1}", "not a key");
		assertThat(repository.find("openid-1")).isEmpty();
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
