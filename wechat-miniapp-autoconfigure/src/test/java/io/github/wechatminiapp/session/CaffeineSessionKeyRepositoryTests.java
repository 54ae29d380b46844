package io.github.wechatminiapp.session;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CaffeineSessionKeyRepositoryTests {

	private static final SessionKey K1 = SessionKey.ofBase64("tiihtNczf5v6AKRyjwEUhQ==");

	private static final SessionKey K2 = SessionKey.ofBase64("HyVFkGl5F5OQWJZZaNzBBg==");

	@Test
	void savesFindsReplacesAndRemovesByOpenid() {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofMinutes(1), 10);
		repository.save("openid-1", K1);
		repository.save("openid-2", K2);
		assertThat(repository.find("openid-1")).contains(K1);
		assertThat(repository.find("openid-2")).contains(K2);
		repository.save("openid-1", K2);
		assertThat(repository.find("openid-1")).contains(K2);
		repository.remove("openid-1");
		assertThat(repository.find("openid-1")).isEmpty();
		assertThat(repository.find("openid-2")).contains(K2);
		assertThat(repository.find(null)).isEmpty();
	}

	@Test
	void keepsTheReplacedKeyAsThePreviousOneForABoundedTime() {
		FakeTicker ticker = new FakeTicker();
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10,
				Duration.ofMinutes(5), ticker);
		repository.save("openid-1", K1);
		assertThat(repository.findRecent("openid-1")).containsExactly(K1);
		repository.save("openid-1", K2);
		assertThat(repository.findRecent("openid-1")).containsExactly(K2, K1);
		assertThat(repository.find("openid-1")).contains(K2);
		// Saving the same key again keeps the previous one as it was.
		repository.save("openid-1", K2);
		assertThat(repository.findRecent("openid-1")).containsExactly(K2, K1);
		ticker.advance(Duration.ofMinutes(5).plusNanos(1));
		assertThat(repository.findRecent("openid-1")).containsExactly(K2);
		assertThat(repository.findRecent("openid-2")).isEmpty();
	}

	@Test
	void zeroPreviousKeyTimeToLiveKeepsOnlyTheCurrentKey() {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10,
				Duration.ZERO);
		repository.save("openid-1", K1);
		repository.save("openid-1", K2);
		assertThat(repository.findRecent("openid-1")).containsExactly(K2);
	}

	@Test
	void otherRepositoriesFindOnlyTheCurrentKeyByDefault() {
		SessionKeyRepository plain = new SessionKeyRepository() {

			@Override
			public void save(String openid, SessionKey sessionKey) {
			}

			@Override
			public java.util.Optional<SessionKey> find(String openid) {
				return java.util.Optional.of(K1);
			}

			@Override
			public void remove(String openid) {
			}

		};
		assertThat(plain.findRecent("openid-1")).containsExactly(K1);
	}

	static final class FakeTicker implements com.github.benmanes.caffeine.cache.Ticker {

		private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();

		void advance(Duration duration) {
			this.nanos.addAndGet(duration.toNanos());
		}

		@Override
		public long read() {
			return this.nanos.get();
		}

	}

	@Test
	void forgetsKeysAfterTheirTimeToLive() throws InterruptedException {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofMillis(50), 10);
		repository.save("openid-1", K1);
		Thread.sleep(120);
		assertThat(repository.find("openid-1")).isEmpty();
	}


	@Test
	void countsDecryptionFailuresAtomically() throws Exception {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		repository.save("openid-1", K1);
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
		try {
			java.util.List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
			for (int t = 0; t < 8; t++) {
				work.add(pool.submit(() -> {
					for (int i = 0; i < 100; i++) {
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
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(801);
		assertThat(repository.recordDecryptionFailure("openid-2", K1)).isEqualTo(1);
	}

	@Test
	void theSameKeySavedAgainKeepsItsCountAnotherKeyStartsAfresh() {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		repository.save("openid-1", K1);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(1);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(2);
		repository.save("openid-1", K1);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(3);
		repository.save("openid-1", K2);
		assertThat(repository.findRecent("openid-1")).containsExactly(K2, K1);
		assertThat(repository.recordDecryptionFailure("openid-1", K2)).isEqualTo(1);
		CaffeineSessionKeyRepository noPrevious = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10,
				Duration.ZERO);
		noPrevious.save("openid-1", K1);
		noPrevious.recordDecryptionFailure("openid-1", K1);
		noPrevious.save("openid-1", K2);
		assertThat(noPrevious.findRecent("openid-1")).containsExactly(K2);
		assertThat(noPrevious.recordDecryptionFailure("openid-1", K2)).isEqualTo(1);
	}

	@Test
	void removingTheKeysKeepsTheirCount() {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		repository.save("openid-1", K1);
		repository.save("openid-1", K2);
		repository.recordDecryptionFailure("openid-1", K2);
		repository.recordDecryptionFailure("openid-1", K2);
		repository.remove("openid-1");
		assertThat(repository.find("openid-1")).isEmpty();
		assertThat(repository.findRecent("openid-1")).isEmpty();
		repository.save("openid-1", K2);
		assertThat(repository.findRecent("openid-1")).containsExactly(K2);
		assertThat(repository.recordDecryptionFailure("openid-1", K2)).isEqualTo(3);
		repository.remove("openid-1");
		repository.save("openid-1", K1);
		assertThat(repository.findRecent("openid-1")).containsExactly(K1);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(1);
		repository.remove("openid-unknown");
		repository.remove(null);
		assertThat(repository.find("openid-unknown")).isEmpty();
	}

	@Test
	void countingAFailureDoesNotExtendTheKeysLife() {
		FakeTicker ticker = new FakeTicker();
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10,
				Duration.ofMinutes(5), ticker);
		repository.save("openid-1", K1);
		ticker.advance(Duration.ofMinutes(50));
		repository.recordDecryptionFailure("openid-1", K1);
		ticker.advance(Duration.ofMinutes(9));
		assertThat(repository.find("openid-1")).contains(K1);
		ticker.advance(Duration.ofMinutes(2));
		assertThat(repository.find("openid-1")).isEmpty();
		// The count went with the key.
		repository.save("openid-1", K1);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(1);
		// Saving again starts the key's life, and its count's, afresh.
		ticker.advance(Duration.ofMinutes(50));
		repository.save("openid-1", K1);
		ticker.advance(Duration.ofMinutes(50));
		assertThat(repository.find("openid-1")).contains(K1);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(2);
	}

	@Test
	void aFailureCountedAfterTheKeyExpiredIsKeptForTheSameKey() {
		FakeTicker ticker = new FakeTicker();
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10,
				Duration.ofMinutes(5), ticker);
		repository.save("openid-1", K1);
		ticker.advance(Duration.ofMinutes(61));
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(1);
		assertThat(repository.findRecent("openid-1")).isEmpty();
		ticker.advance(Duration.ofMinutes(59));
		repository.save("openid-1", K1);
		assertThat(repository.find("openid-1")).contains(K1);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(2);
		repository.save("openid-1", K2);
		assertThat(repository.recordDecryptionFailure("openid-1", K2)).isEqualTo(1);
	}

	@Test
	void countingNeedsAUserAndAKey() {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> repository.recordDecryptionFailure("", K1));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> repository.recordDecryptionFailure("openid-1", null));
	}

	@Test
	void otherRepositoriesAnswerTheStrictestCount() {
		SessionKeyRepository plain = new SessionKeyRepository() {

			@Override
			public void save(String openid, SessionKey sessionKey) {
			}

			@Override
			public java.util.Optional<SessionKey> find(String openid) {
				return java.util.Optional.of(K1);
			}

			@Override
			public void remove(String openid) {
			}

		};
		assertThat(plain.recordDecryptionFailure("openid-1", K1)).isEqualTo(Integer.MAX_VALUE);
	}

}
