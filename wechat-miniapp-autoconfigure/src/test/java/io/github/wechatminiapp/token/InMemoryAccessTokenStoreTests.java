package io.github.wechatminiapp.token;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryAccessTokenStoreTests {

	private static final Instant NOW = Instant.parse("2026-11-26T04:00:00Z");

	private static final Duration INTERVAL = Duration.ofSeconds(30);

	private final InMemoryAccessTokenStore store = new InMemoryAccessTokenStore();

	private static CachedAccessToken token(String value, Duration expiresIn) {
		return new CachedAccessToken(value, NOW.plus(expiresIn.dividedBy(2)), NOW.plus(expiresIn));
	}

	@Test
	void aLateWriterNeverReplacesATokenThatExpiresLater() {
		this.store.put(token("newer", Duration.ofMinutes(120)));
		this.store.put(token("older", Duration.ofMinutes(90)));
		assertThat(this.store.get()).map(CachedAccessToken::value).contains("newer");
		this.store.put(token("same-expiry", Duration.ofMinutes(120)));
		assertThat(this.store.get()).map(CachedAccessToken::value).contains("same-expiry");
		this.store.put(token("newest", Duration.ofMinutes(121)));
		assertThat(this.store.get()).map(CachedAccessToken::value).contains("newest");
		this.store.evict("newest");
		this.store.put(token("after-eviction", Duration.ofMinutes(1)));
		assertThat(this.store.get()).map(CachedAccessToken::value).contains("after-eviction");
	}

	@Test
	void oneForcedRefreshPerInterval() {
		assertThat(this.store.tryClaimForcedRefresh(NOW, INTERVAL, 10)).isEqualTo(ForcedRefreshClaim.GRANTED);
		assertThat(this.store.tryClaimForcedRefresh(NOW, INTERVAL, 10)).isEqualTo(ForcedRefreshClaim.TOO_SOON);
		assertThat(this.store.tryClaimForcedRefresh(NOW.plus(INTERVAL).minusMillis(1), INTERVAL, 10))
			.isEqualTo(ForcedRefreshClaim.TOO_SOON);
		assertThat(this.store.tryClaimForcedRefresh(NOW.plus(INTERVAL), INTERVAL, 10))
			.isEqualTo(ForcedRefreshClaim.GRANTED);
	}

	@Test
	void theDailyBudgetStartsAgainAtMidnightInBeijing() {
		Instant now = NOW;
		for (int i = 0; i < 2; i++) {
			assertThat(this.store.tryClaimForcedRefresh(now, INTERVAL, 2)).isEqualTo(ForcedRefreshClaim.GRANTED);
			now = now.plus(INTERVAL);
		}
		assertThat(this.store.tryClaimForcedRefresh(now, INTERVAL, 2))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
		assertThat(this.store.tryClaimForcedRefresh(Instant.parse("2026-11-26T15:59:59.999Z"), INTERVAL, 2))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
		assertThat(this.store.tryClaimForcedRefresh(Instant.parse("2026-11-26T16:00:00Z"), INTERVAL, 2))
			.isEqualTo(ForcedRefreshClaim.GRANTED);
		assertThat(this.store.tryClaimForcedRefresh(Instant.parse("2026-11-26T16:00:30Z"), INTERVAL, 1))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
		assertThat(this.store.tryClaimForcedRefresh(Instant.parse("2026-11-26T16:00:30Z"), INTERVAL, 0))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
	}

	@Test
	void aBlockHoldsUntilItEnds() {
		Instant until = NOW.plus(Duration.ofHours(12));
		this.store.blockForcedRefreshes(until);
		assertThat(this.store.tryClaimForcedRefresh(NOW, INTERVAL, 10))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
		assertThat(this.store.tryClaimForcedRefresh(until.minusMillis(1), INTERVAL, 10))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
		assertThat(this.store.tryClaimForcedRefresh(until, INTERVAL, 10)).isEqualTo(ForcedRefreshClaim.GRANTED);
	}

	@Test
	void nextDayIsMidnightInBeijing() {
		assertThat(ForcedRefreshLedger.nextDay(NOW)).isEqualTo(Instant.parse("2026-11-26T16:00:00Z"));
		assertThat(ForcedRefreshLedger.nextDay(Instant.parse("2026-11-26T16:00:00Z")))
			.isEqualTo(Instant.parse("2026-11-27T16:00:00Z"));
		assertThat(ForcedRefreshLedger.nextDay(Instant.parse("2026-11-26T15:59:59Z")))
			.isEqualTo(Instant.parse("2026-11-26T16:00:00Z"));
	}

	@Test
	void theDefaultStoreMethodsGrantAndIgnoreBlocks() {
		AccessTokenStore minimal = new AccessTokenStore() {

			@Override
			public java.util.Optional<CachedAccessToken> get() {
				return java.util.Optional.empty();
			}

			@Override
			public void put(CachedAccessToken token) {
			}

			@Override
			public void evict(String value) {
			}

		};
		minimal.blockForcedRefreshes(NOW.plusSeconds(60));
		assertThat(minimal.tryClaimForcedRefresh(NOW, INTERVAL, 0)).isEqualTo(ForcedRefreshClaim.GRANTED);
		assertThat(minimal.tryLock("owner", INTERVAL)).isTrue();
	}

}
