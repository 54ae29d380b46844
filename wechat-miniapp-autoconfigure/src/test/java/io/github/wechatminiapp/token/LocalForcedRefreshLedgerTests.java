package io.github.wechatminiapp.token;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalForcedRefreshLedgerTests {

	private static final Instant NOW = Instant.parse("2026-11-26T04:00:00Z");

	private static final Duration INTERVAL = Duration.ofSeconds(30);

	private final LocalForcedRefreshLedger ledger = new LocalForcedRefreshLedger();

	@Test
	void oneForcedRefreshPerInterval() {
		assertThat(this.ledger.tryClaimForcedRefresh(NOW, INTERVAL, 10)).isEqualTo(ForcedRefreshClaim.GRANTED);
		assertThat(this.ledger.tryClaimForcedRefresh(NOW, INTERVAL, 10)).isEqualTo(ForcedRefreshClaim.TOO_SOON);
		assertThat(this.ledger.tryClaimForcedRefresh(NOW.plus(INTERVAL).minusMillis(1), INTERVAL, 10))
			.isEqualTo(ForcedRefreshClaim.TOO_SOON);
		assertThat(this.ledger.tryClaimForcedRefresh(NOW.plus(INTERVAL), INTERVAL, 10))
			.isEqualTo(ForcedRefreshClaim.GRANTED);
	}

	@Test
	void theDailyBudgetStartsAgainAtMidnightInBeijing() {
		Instant now = NOW;
		for (int i = 0; i < 2; i++) {
			assertThat(this.ledger.tryClaimForcedRefresh(now, INTERVAL, 2)).isEqualTo(ForcedRefreshClaim.GRANTED);
			now = now.plus(INTERVAL);
		}
		assertThat(this.ledger.tryClaimForcedRefresh(now, INTERVAL, 2))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
		assertThat(this.ledger.tryClaimForcedRefresh(Instant.parse("2026-11-26T15:59:59.999Z"), INTERVAL, 2))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
		assertThat(this.ledger.tryClaimForcedRefresh(Instant.parse("2026-11-26T16:00:00Z"), INTERVAL, 2))
			.isEqualTo(ForcedRefreshClaim.GRANTED);
		assertThat(this.ledger.tryClaimForcedRefresh(Instant.parse("2026-11-26T16:00:30Z"), INTERVAL, 1))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
		assertThat(this.ledger.tryClaimForcedRefresh(Instant.parse("2026-11-26T16:00:30Z"), INTERVAL, 0))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
	}

	@Test
	void aBlockHoldsUntilItEnds() {
		Instant until = NOW.plus(Duration.ofHours(12));
		this.ledger.blockForcedRefreshes(until);
		assertThat(this.ledger.tryClaimForcedRefresh(NOW, INTERVAL, 10))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
		assertThat(this.ledger.tryClaimForcedRefresh(until.minusMillis(1), INTERVAL, 10))
			.isEqualTo(ForcedRefreshClaim.DAILY_LIMIT_REACHED);
		assertThat(this.ledger.tryClaimForcedRefresh(until, INTERVAL, 10)).isEqualTo(ForcedRefreshClaim.GRANTED);
	}

	@Test
	void nextDayIsMidnightInBeijing() {
		assertThat(LocalForcedRefreshLedger.nextDay(NOW)).isEqualTo(Instant.parse("2026-11-26T16:00:00Z"));
		assertThat(LocalForcedRefreshLedger.nextDay(Instant.parse("2026-11-26T16:00:00Z")))
			.isEqualTo(Instant.parse("2026-11-27T16:00:00Z"));
		assertThat(LocalForcedRefreshLedger.nextDay(Instant.parse("2026-11-26T15:59:59Z")))
			.isEqualTo(Instant.parse("2026-11-26T16:00:00Z"));
	}

}
