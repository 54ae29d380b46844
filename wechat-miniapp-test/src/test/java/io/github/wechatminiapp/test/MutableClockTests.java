package io.github.wechatminiapp.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class MutableClockTests {

	private static final Instant NOON = Instant.parse("2026-01-01T12:00:00Z");

	@Test
	void standsStillUntilMoved() {
		MutableClock clock = new MutableClock(NOON);
		assertThat(clock.instant()).isEqualTo(NOON);
		assertThat(clock.millis()).isEqualTo(NOON.toEpochMilli());
		assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
	}

	@Test
	void advancesAndIsSet() {
		MutableClock clock = new MutableClock(NOON);
		clock.advance(Duration.ofSeconds(30));
		assertThat(clock.instant()).isEqualTo(NOON.plusSeconds(30));
		clock.advance(Duration.ofSeconds(-10));
		assertThat(clock.instant()).isEqualTo(NOON.plusSeconds(20));
		clock.set(NOON.minusSeconds(5));
		assertThat(clock.instant()).isEqualTo(NOON.minusSeconds(5));
	}

	@Test
	void aClockInAnotherZoneMovesWithThisOne() {
		MutableClock clock = new MutableClock(NOON);
		ZoneId shanghai = ZoneId.of("Asia/Shanghai");
		Clock zoned = clock.withZone(shanghai);
		assertThat(zoned.getZone()).isEqualTo(shanghai);
		clock.advance(Duration.ofMinutes(1));
		assertThat(zoned.instant()).isEqualTo(NOON.plusSeconds(60));
		assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
	}

	@Test
	void rejectsNull() {
		assertThatNullPointerException().isThrownBy(() -> new MutableClock(null));
		MutableClock clock = new MutableClock(NOON);
		assertThatNullPointerException().isThrownBy(() -> clock.set(null));
		assertThatNullPointerException().isThrownBy(() -> clock.withZone(null));
	}

}
