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

}
