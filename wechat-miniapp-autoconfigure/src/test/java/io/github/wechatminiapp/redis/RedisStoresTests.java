package io.github.wechatminiapp.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.github.wechatminiapp.session.RedisSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.session.SessionKeyEncryption;
import io.github.wechatminiapp.token.CachedAccessToken;
import io.github.wechatminiapp.token.RedisAccessTokenStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis stores against a real Redis server.
 */
class RedisStoresTests {

	private static final String APP_ID = "wx0123456789abcdef";

	private static final SessionKey K1 = SessionKey.ofBase64("tiihtNczf5v6AKRyjwEUhQ==");

	private static final SessionKey K2 = SessionKey.ofBase64("HyVFkGl5F5OQWJZZaNzBBg==");

	private static final String ENCRYPTION_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

	private static final EmbeddedRedis redis = EmbeddedRedis.start();

	private static final LettuceConnectionFactory connectionFactory = redis.connectionFactory();

	private final StringRedisTemplate template = new StringRedisTemplate(connectionFactory);

	@AfterAll
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

	private RedisSessionKeyRepository repository(Duration ttl, SessionKeyEncryption encryption) {
		return new RedisSessionKeyRepository(this.template, "test:", APP_ID, ttl, encryption);
	}

	@Test
	void savesFindsReplacesAndRemovesUnderPrefixAndAppId() {
		RedisSessionKeyRepository repository = repository(Duration.ofMinutes(1), null);
		repository.save("openid-1", K1);
		repository.save("openid-2", K2);
		assertThat(this.template.keys("*")).containsExactlyInAnyOrder("test:" + APP_ID + ":session-key:openid-1",
				"test:" + APP_ID + ":session-key:openid-2");
		assertThat(repository.find("openid-1")).contains(K1);
		repository.save("openid-1", K2);
		assertThat(repository.find("openid-1")).contains(K2);
		repository.remove("openid-1");
		assertThat(repository.find("openid-1")).isEmpty();
		assertThat(repository.find("openid-2")).contains(K2);
		Long ttl = this.template.getExpire("test:" + APP_ID + ":session-key:openid-2");
		assertThat(ttl).isBetween(1L, 60L);
	}

	@Test
	void keepsTheReplacedKeyAsThePreviousOneForABoundedTime() throws InterruptedException {
		RedisSessionKeyRepository repository = new RedisSessionKeyRepository(this.template, "test:", APP_ID,
				Duration.ofMinutes(1), new SessionKeyEncryption(ENCRYPTION_KEY), Duration.ofMillis(300));
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
		RedisSessionKeyRepository repository = repository(Duration.ofMinutes(1),
				new SessionKeyEncryption(ENCRYPTION_KEY));
		repository.save("openid-1", K1);
		String stored = this.template.opsForValue().get("test:" + APP_ID + ":session-key:openid-1");
		assertThat(stored).isNotEqualTo(K1.toBase64()).doesNotContain(K1.toBase64());
		assertThat(repository.find("openid-1")).contains(K1);
		// Another instance with the same encryption key reads it.
		assertThat(repository(Duration.ofMinutes(1), new SessionKeyEncryption(ENCRYPTION_KEY)).find("openid-1"))
			.contains(K1);
	}

	@Test
	void encryptedValueMovedToAnotherUserOrReadWithAnotherKeyIsIgnored() {
		RedisSessionKeyRepository repository = repository(Duration.ofMinutes(1),
				new SessionKeyEncryption(ENCRYPTION_KEY));
		repository.save("openid-1", K1);
		String stored = this.template.opsForValue().get("test:" + APP_ID + ":session-key:openid-1");
		this.template.opsForValue().set("test:" + APP_ID + ":session-key:openid-2", stored);
		assertThat(repository.find("openid-2")).isEmpty();
		assertThat(repository(Duration.ofMinutes(1),
				new SessionKeyEncryption("ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=")).find("openid-1"))
			.isEmpty();
	}

	@Test
	void accessTokenRoundTripsAndExpiresWithTheToken() {
		RedisAccessTokenStore store = new RedisAccessTokenStore(this.template, "test:", APP_ID);
		Instant now = Instant.now();
		CachedAccessToken token = new CachedAccessToken("tok-1", now.plusSeconds(60), now.plusSeconds(120));
		store.put(token);
		assertThat(store.get()).hasValueSatisfying((read) -> {
			assertThat(read.value()).isEqualTo("tok-1");
			assertThat(read.refreshAt().toEpochMilli()).isEqualTo(token.refreshAt().toEpochMilli());
			assertThat(read.expiresAt().toEpochMilli()).isEqualTo(token.expiresAt().toEpochMilli());
		});
		assertThat(this.template.getExpire("test:" + APP_ID + ":access-token")).isBetween(100L, 120L);
	}

	@Test
	void evictRemovesOnlyTheNamedToken() {
		RedisAccessTokenStore store = new RedisAccessTokenStore(this.template, "test:", APP_ID);
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
		RedisAccessTokenStore store = new RedisAccessTokenStore(this.template, "test:", APP_ID);
		assertThat(store.tryLock("owner-a", Duration.ofMillis(300))).isTrue();
		assertThat(store.tryLock("owner-b", Duration.ofSeconds(5))).isFalse();
		store.unlock("owner-b");
		assertThat(store.tryLock("owner-b", Duration.ofSeconds(5))).isFalse();
		Thread.sleep(500);
		// owner-a crashed: its lease ran out.
		assertThat(store.tryLock("owner-b", Duration.ofSeconds(5))).isTrue();
		store.unlock("owner-b");
		assertThat(store.tryLock("owner-c", Duration.ofSeconds(5))).isTrue();
		assertThat(Set.of(this.template.opsForValue().get("test:" + APP_ID + ":access-token:lock")))
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
	void theFailureCountBelongsToTheKeyExpiresWithItAndSurvivesRemove() {
		RedisSessionKeyRepository repository = new RedisSessionKeyRepository(this.template, "test:", APP_ID,
				Duration.ofMinutes(1), new SessionKeyEncryption(ENCRYPTION_KEY));
		String name = "test:" + APP_ID + ":session-key:openid-1";
		repository.save("openid-1", K1);
		this.template.expire(name, Duration.ofSeconds(30));
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(1);
		assertThat(this.template.getExpire(name + ":failures")).isBetween(25L, 30L);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(2);
		// A fingerprint names the key, never the key itself.
		assertThat(this.template.<String, String>opsForHash().entries(name + ":failures")).containsOnlyKeys("count", "key")
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
		assertThat(this.template.getExpire("test:" + APP_ID + ":session-key:openid-1:failures")).isBetween(590L,
				600L);
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
			RedisSessionKeyRepository repository = new RedisSessionKeyRepository(new StringRedisTemplate(closed),
					"test:", APP_ID, Duration.ofMinutes(1), null);
			org.assertj.core.api.Assertions.assertThatExceptionOfType(io.github.wechatminiapp.StoreAccessException.class)
				.isThrownBy(() -> repository.recordDecryptionFailure("openid-1", K1))
				.withMessageContaining("session keys");
		}
		finally {
			closed.destroy();
		}
	}

}
