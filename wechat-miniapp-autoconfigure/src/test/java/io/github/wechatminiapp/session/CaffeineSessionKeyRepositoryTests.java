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
	void reservesAtMostTheBudgetHoweverManyRace() throws Exception {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		repository.save("openid-1", K1);
		java.util.concurrent.atomic.AtomicInteger granted = new java.util.concurrent.atomic.AtomicInteger();
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
		java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
		try {
			java.util.List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
			for (int t = 0; t < 64; t++) {
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
		// Refusals count nothing: the count is the five granted.
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(6);
	}

	@Test
	void noCountIsLostToSavesAndRemovalsOfTheSameKeyRacingIt() throws Exception {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		repository.save("openid-1", K1);
		java.util.concurrent.atomic.AtomicInteger granted = new java.util.concurrent.atomic.AtomicInteger();
		java.util.concurrent.atomic.AtomicBoolean counting = new java.util.concurrent.atomic.AtomicBoolean(true);
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
		try {
			java.util.List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
			for (int t = 0; t < 3; t++) {
				work.add(pool.submit(() -> {
					for (int i = 0; i < 20_000; i++) {
						if (repository.reserveDecryption("openid-1", K1, 30_000) <= 30_000) {
							granted.incrementAndGet();
						}
						// Every other slot is given back, as a success would.
						if (i % 2 == 0) {
							repository.releaseDecryption("openid-1", K1);
							granted.decrementAndGet();
						}
					}
				}));
			}
			java.util.concurrent.Future<?> writer = pool.submit(() -> {
				// Each write replaces the entry the counting threads are changing.
				for (int i = 0; counting.get(); i++) {
					if (i % 2 == 0) {
						repository.save("openid-1", K1);
					}
					else {
						repository.remove("openid-1");
					}
				}
			});
			for (java.util.concurrent.Future<?> future : work) {
				future.get(60, java.util.concurrent.TimeUnit.SECONDS);
			}
			counting.set(false);
			writer.get(60, java.util.concurrent.TimeUnit.SECONDS);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(granted).hasValue(30_000);
		assertThat(repository.reserveDecryption("openid-1", K1, 30_000)).isEqualTo(30_001);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(30_001);
	}

	@Test
	void aReservationIsGivenBackBySuccessNeverBelowZeroAndOnlyForItsKey() {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		repository.save("openid-1", K1);
		assertThat(repository.reserveDecryption("openid-1", K1, 2)).isEqualTo(1);
		assertThat(repository.reserveDecryption("openid-1", K1, 2)).isEqualTo(2);
		assertThat(repository.reserveDecryption("openid-1", K1, 2)).isEqualTo(3);
		repository.releaseDecryption("openid-1", K1);
		assertThat(repository.reserveDecryption("openid-1", K1, 2)).isEqualTo(2);
		repository.releaseDecryption("openid-1", K2);
		assertThat(repository.reserveDecryption("openid-1", K1, 2)).isEqualTo(3);
		repository.releaseDecryption("openid-1", K1);
		repository.releaseDecryption("openid-1", K1);
		repository.releaseDecryption("openid-1", K1);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(1);
		repository.releaseDecryption("openid-absent", K1);
		assertThat(repository.find("openid-absent")).isEmpty();
		// A reservation for a user whose key has gone counts against the key that was
		// read.
		assertThat(repository.reserveDecryption("openid-2", K2, 2)).isEqualTo(1);
		assertThat(repository.find("openid-2")).isEmpty();
		repository.save("openid-2", K2);
		assertThat(repository.reserveDecryption("openid-2", K2, 2)).isEqualTo(2);
	}

	@Test
	void reservingAndReleasingDoNotExtendTheKeysLifeNorDropThePreviousKey() {
		FakeTicker ticker = new FakeTicker();
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10,
				Duration.ofMinutes(5), ticker);
		repository.save("openid-1", K1);
		repository.save("openid-1", K2);
		ticker.advance(Duration.ofMinutes(4));
		assertThat(repository.reserveDecryption("openid-1", K2, 1)).isEqualTo(1);
		assertThat(repository.reserveDecryption("openid-1", K2, 1)).isEqualTo(2);
		repository.releaseDecryption("openid-1", K2);
		assertThat(repository.findRecent("openid-1")).containsExactly(K2, K1);
		ticker.advance(Duration.ofMinutes(55));
		assertThat(repository.reserveDecryption("openid-1", K2, 1)).isEqualTo(1);
		assertThat(repository.reserveDecryption("openid-1", K2, 1)).isEqualTo(2);
		repository.releaseDecryption("openid-1", K2);
		ticker.advance(Duration.ofMinutes(2));
		assertThat(repository.find("openid-1")).isEmpty();
	}

	@Test
	void reservingNeedsAUserAndAKey() {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
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
		// The last slot, every time: each rejection spends the budget.
		assertThat(plain.reserveDecryption("openid-1", K1, 5)).isEqualTo(5);
		assertThat(plain.reserveDecryption("openid-1", K1, 1)).isEqualTo(1);
		plain.releaseDecryption("openid-1", K1);
		assertThat(plain.reserveDecryption("openid-1", K1, 5)).isEqualTo(5);
	}

	@Test
	void openidsThatCannotBePackedAreKeptAsTheyAre() {
		FakeTicker ticker = new FakeTicker();
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10,
				Duration.ofMinutes(5), ticker);
		String spaced = "openid with spaces";
		String tooLong = "o".repeat(CompactOpenid.MAXIMUM_LENGTH + 1);
		repository.save(spaced, K1);
		repository.save(tooLong, K2);
		repository.save("o".repeat(CompactOpenid.MAXIMUM_LENGTH), K1);
		assertThat(repository.find(spaced)).contains(K1);
		assertThat(repository.find(tooLong)).contains(K2);
		assertThat(repository.find("o".repeat(CompactOpenid.MAXIMUM_LENGTH))).contains(K1);
		assertThat(repository.find("o".repeat(CompactOpenid.MAXIMUM_LENGTH - 1))).isEmpty();
		repository.save(spaced, K2);
		assertThat(repository.findRecent(spaced)).containsExactly(K2, K1);
		assertThat(repository.recordDecryptionFailure(tooLong, K2)).isEqualTo(1);
		repository.remove(tooLong);
		assertThat(repository.find(tooLong)).isEmpty();
		repository.save(tooLong, K2);
		assertThat(repository.recordDecryptionFailure(tooLong, K2)).isEqualTo(2);
	}

	@Test
	void openidsDifferingOnlyInTrailingCharactersAreDifferentUsers() {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		repository.save("oGZUI0egBJY1zhBYw2KhdUfwVJJ", K1);
		assertThat(repository.find("oGZUI0egBJY1zhBYw2KhdUfwVJJA")).isEmpty();
		repository.save("oGZUI0egBJY1zhBYw2KhdUfwVJJA", K2);
		assertThat(repository.find("oGZUI0egBJY1zhBYw2KhdUfwVJJ")).contains(K1);
		assertThat(repository.find("oGZUI0egBJY1zhBYw2KhdUfwVJJA")).contains(K2);
	}

	@Test
	void keepsAtMostTheMaximumNumberOfUsers() {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		for (int i = 0; i < 200; i++) {
			repository.save("oUser" + i, (i % 2 == 0) ? K1 : K2);
		}
		int kept = 0;
		for (int i = 0; i < 200; i++) {
			kept += repository.find("oUser" + i).isPresent() ? 1 : 0;
		}
		assertThat(kept).isBetween(1, 10);
	}

	@Test
	void aCountForAnAbsentUserIsNotAKeyAndAnotherKeyStartsAfreshWithoutAPreviousOne() {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(1);
		assertThat(repository.find("openid-1")).isEmpty();
		assertThat(repository.findRecent("openid-1")).isEmpty();
		repository.save("openid-1", K2);
		assertThat(repository.findRecent("openid-1")).containsExactly(K2);
		assertThat(repository.recordDecryptionFailure("openid-1", K2)).isEqualTo(1);
	}

	@Test
	void countingAfterARemovalKeepsTheKeysRemoved() {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		repository.save("openid-1", K1);
		repository.save("openid-1", K2);
		repository.remove("openid-1");
		assertThat(repository.recordDecryptionFailure("openid-1", K2)).isEqualTo(1);
		assertThat(repository.find("openid-1")).isEmpty();
		assertThat(repository.findRecent("openid-1")).isEmpty();
		repository.save("openid-1", K2);
		assertThat(repository.findRecent("openid-1")).containsExactly(K2);
		assertThat(repository.recordDecryptionFailure("openid-1", K2)).isEqualTo(2);
	}

	@Test
	void countingAFailureKeepsThePreviousKeyForItsOwnTime() {
		FakeTicker ticker = new FakeTicker();
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10,
				Duration.ofMinutes(5), ticker);
		repository.save("openid-1", K1);
		repository.save("openid-1", K2);
		ticker.advance(Duration.ofMinutes(4));
		assertThat(repository.recordDecryptionFailure("openid-1", K2)).isEqualTo(1);
		assertThat(repository.findRecent("openid-1")).containsExactly(K2, K1);
		repository.save("openid-1", K2);
		assertThat(repository.findRecent("openid-1")).containsExactly(K2, K1);
		ticker.advance(Duration.ofMinutes(1));
		assertThat(repository.findRecent("openid-1")).containsExactly(K2);
		// Neither counting nor saving the same key brings back a previous key that has
		// expired.
		assertThat(repository.recordDecryptionFailure("openid-1", K2)).isEqualTo(2);
		repository.save("openid-1", K2);
		ticker.advance(Duration.ofNanos(-1));
		assertThat(repository.findRecent("openid-1")).containsExactly(K2);
		assertThat(repository.recordDecryptionFailure("openid-1", K2)).isEqualTo(3);
	}

	@Test
	void removingTheKeysDoesNotExtendTheirLife() {
		FakeTicker ticker = new FakeTicker();
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10,
				Duration.ofMinutes(5), ticker);
		repository.save("openid-1", K1);
		repository.recordDecryptionFailure("openid-1", K1);
		ticker.advance(Duration.ofMinutes(50));
		repository.remove("openid-1");
		ticker.advance(Duration.ofMinutes(11));
		// The count went when the key would have expired.
		repository.save("openid-1", K1);
		assertThat(repository.recordDecryptionFailure("openid-1", K1)).isEqualTo(1);
	}

	@Test
	void theCountStopsBelowTheFlagsInsteadOfWrapping() {
		CaffeineSessionKeyRepository.Entry present = new CaffeineSessionKeyRepository.Entry(1, 2,
				CaffeineSessionKeyRepository.Entry.PRESENT | CaffeineSessionKeyRepository.Entry.SAVED
						| (CaffeineSessionKeyRepository.Entry.MAX_COUNT - 1));
		assertThat(present.reserve(Integer.MAX_VALUE)).isEqualTo((1 << 30) - 2);
		assertThat(present.failures()).isEqualTo((1 << 30) - 2);
		// At the top the count stays, granting without counting: it cannot go higher.
		assertThat(present.reserve(Integer.MAX_VALUE)).isEqualTo((1 << 30) - 1);
		assertThat(present.failures()).isEqualTo((1 << 30) - 2);
		assertThat(present.reserve((1 << 30) - 2)).isEqualTo((1 << 30) - 1);
		assertThat(present.isPresent()).isTrue();
		assertThat(present.isSaved()).isTrue();
		CaffeineSessionKeyRepository.Entry removed = new CaffeineSessionKeyRepository.Entry(1, 2, 7);
		assertThat(removed.reserve(8)).isEqualTo(8);
		assertThat(removed.reserve(8)).isEqualTo(9);
		assertThat(removed.failures()).isEqualTo(8);
		assertThat(removed.isPresent()).isFalse();
		assertThat(removed.isSaved()).isFalse();
		assertThat(removed.counts(1, 2)).isTrue();
		assertThat(removed.counts(1, 3)).isFalse();
		assertThat(removed.counts(0, 2)).isFalse();
	}

	@Test
	void aRetiredEntryCountsNothing() {
		CaffeineSessionKeyRepository.Entry entry = new CaffeineSessionKeyRepository.Entry(1, 2,
				CaffeineSessionKeyRepository.Entry.PRESENT | CaffeineSessionKeyRepository.Entry.SAVED | 3);
		assertThat(entry.retire())
			.isEqualTo(CaffeineSessionKeyRepository.Entry.PRESENT | CaffeineSessionKeyRepository.Entry.SAVED | 3);
		assertThat(entry.reserve(5)).isZero();
		assertThat(entry.release(1, 2)).isFalse();
		assertThat(entry.isPresent()).isTrue();
		assertThat(entry.retire() & CaffeineSessionKeyRepository.Entry.FAILURES)
			.isEqualTo(CaffeineSessionKeyRepository.Entry.FAILURES);
	}

	@Test
	void aReleaseGivesBackOnlyTheKeysOwnCountAndNeverBelowZero() {
		CaffeineSessionKeyRepository.Entry entry = new CaffeineSessionKeyRepository.Entry(1, 2,
				CaffeineSessionKeyRepository.Entry.PRESENT | 1);
		assertThat(entry.release(1, 3)).isTrue();
		assertThat(entry.failures()).isEqualTo(1);
		assertThat(entry.release(1, 2)).isTrue();
		assertThat(entry.failures()).isZero();
		assertThat(entry.release(1, 2)).isTrue();
		assertThat(entry.failures()).isZero();
		assertThat(entry.isPresent()).isTrue();
	}

}
