package io.github.wechatminiapp.crypto;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class WatermarkTests {

	private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	private static final String APP_ID = "wx0123456789abcdef";

	@Test
	void ourAppIdWithinMaxAgeIsAccepted() {
		assertThatNoException().isThrownBy(
				() -> new Watermark(APP_ID, NOW.minusSeconds(299)).verify(APP_ID, Duration.ofMinutes(5), CLOCK));
	}

	@Test
	void anotherAppIdIsRejected() {
		assertThatExceptionOfType(OpenDataException.class)
			.isThrownBy(() -> new Watermark("wxffffffffffffffff", NOW).verify(APP_ID, Duration.ofMinutes(5), CLOCK))
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.reason())
				.isEqualTo(Reason.WATERMARK_APPID_MISMATCH));
		assertThatExceptionOfType(OpenDataException.class)
			.isThrownBy(() -> new Watermark(null, NOW).verify(APP_ID, Duration.ZERO, CLOCK));
	}

	@Test
	void olderThanMaxAgeIsRejected() {
		assertThatExceptionOfType(OpenDataException.class)
			.isThrownBy(() -> new Watermark(APP_ID, NOW.minusSeconds(301)).verify(APP_ID, Duration.ofMinutes(5), CLOCK))
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.reason())
				.isEqualTo(Reason.WATERMARK_EXPIRED));
		assertThatExceptionOfType(OpenDataException.class)
			.isThrownBy(() -> new Watermark(APP_ID, null).verify(APP_ID, Duration.ofMinutes(5), CLOCK));
	}

	@Test
	void asFarInTheFutureAsMaxAgeIsAcceptedFurtherIsNot() {
		assertThatNoException()
			.isThrownBy(() -> new Watermark(APP_ID, NOW.plusSeconds(300)).verify(APP_ID, Duration.ofMinutes(5), CLOCK));
		assertThatExceptionOfType(OpenDataException.class)
			.isThrownBy(() -> new Watermark(APP_ID, NOW.plusSeconds(301)).verify(APP_ID, Duration.ofMinutes(5), CLOCK))
			.satisfies((ex) -> org.assertj.core.api.Assertions.assertThat(ex.reason())
				.isEqualTo(Reason.WATERMARK_EXPIRED));
	}

	@Test
	void extremeTimestampsAreRejectedWithoutOverflow() {
		for (Instant extreme : new Instant[] { Instant.MAX, Instant.MAX.minusSeconds(1), Instant.MIN }) {
			assertThatExceptionOfType(OpenDataException.class).as("%s", extreme)
				.isThrownBy(() -> new Watermark(APP_ID, extreme).verify(APP_ID, Duration.ofMinutes(5), CLOCK));
		}
	}

	@Test
	void zeroMaxAgeTurnsTheAgeCheckOff() {
		assertThatNoException()
			.isThrownBy(() -> new Watermark(APP_ID, Instant.EPOCH).verify(APP_ID, Duration.ZERO, CLOCK));
	}

}
