package io.github.wechatminiapp.crypto;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import org.jspecify.annotations.Nullable;

/**
 * The {@code watermark} WeChat puts in every open-data payload: which app it was made for
 * and when.
 *
 * @param appId the app id the data was made for, {@code null} when the payload has none
 * @param timestamp when WeChat made the data, {@code null} when the payload has none
 */
public record Watermark(@Nullable String appId, @Nullable Instant timestamp) {

	/**
	 * The oldest payload accepted unless configured otherwise: long enough for a tap, a
	 * slow network and a retry, short enough that captured data soon stops working.
	 */
	public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

	/**
	 * Accepts the watermark only for our app and, when {@code maxAge} is positive, only
	 * while it is younger than {@code maxAge} and no further than {@code maxAge} in the
	 * future (clock skew, not a replay window that never closes).
	 * @param expectedAppId the configured app id
	 * @param maxAge the oldest watermark accepted; zero or negative turns the age check
	 * off
	 * @param clock the clock to read now from
	 * @throws OpenDataException with {@link Reason#WATERMARK_APPID_MISMATCH} or
	 * {@link Reason#WATERMARK_EXPIRED}
	 */
	public void verify(String expectedAppId, Duration maxAge, Clock clock) {
		if (this.appId == null || !this.appId.equals(expectedAppId)) {
			throw new OpenDataException(Reason.WATERMARK_APPID_MISMATCH);
		}
		if (maxAge != null && !maxAge.isZero() && !maxAge.isNegative()) {
			Instant now = clock.instant();
			// Compared against now ± maxAge, never timestamp + maxAge, which overflows
			// near Instant.MAX.
			if (this.timestamp == null || this.timestamp.isBefore(now.minus(maxAge))
					|| this.timestamp.isAfter(now.plus(maxAge))) {
				throw new OpenDataException(Reason.WATERMARK_EXPIRED);
			}
		}
	}

}
