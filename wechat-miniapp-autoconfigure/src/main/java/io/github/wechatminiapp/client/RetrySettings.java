package io.github.wechatminiapp.client;

import java.time.Duration;

/**
 * How "system busy" answers are retried: exponential backoff, bounded in attempts and
 * delay.
 *
 * @param maxAttempts attempts in all, 1 meaning no retry
 * @param initialBackoff the delay before the first retry
 * @param maxBackoff the longest delay between two attempts
 * @param multiplier how much the delay grows after each retry
 */
public record RetrySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {

	/** Three attempts, 200 ms then 400 ms apart. */
	public static final RetrySettings DEFAULT = new RetrySettings(3, Duration.ofMillis(200), Duration.ofSeconds(2),
			2.0);

	public RetrySettings {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1");
		}
		if (initialBackoff.isNegative() || maxBackoff.isNegative() || multiplier < 1.0) {
			throw new IllegalArgumentException("backoff must not be negative and multiplier at least 1");
		}
	}

	/**
	 * The delay before the given retry.
	 * @param retry 1 for the first retry
	 * @return the delay, at most {@link #maxBackoff()}
	 */
	public Duration backoff(int retry) {
		double millis = this.initialBackoff.toMillis() * Math.pow(this.multiplier, retry - 1);
		return Duration.ofMillis((long) Math.min(millis, this.maxBackoff.toMillis()));
	}

}
