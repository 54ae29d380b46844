package io.github.wechatminiapp.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that a test moves by hand, so that expiry, retry-after and daily limits are
 * tested without sleeping. Hand it to a {@link WeChatSandbox} and to the code under test
 * alike. Safe to read and move from several threads; the clocks {@link #withZone(ZoneId)}
 * returns move with this one.
 */
public final class MutableClock extends Clock {

	private final AtomicReference<Instant> now;

	private final ZoneId zone;

	/**
	 * A clock in UTC that stands at {@code start} until moved.
	 * @param start the instant the clock shows
	 */
	public MutableClock(Instant start) {
		this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
	}

	private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
		this.now = now;
		this.zone = zone;
	}

	/**
	 * Moves the clock forward (or back, for a negative duration).
	 * @param duration how far to move
	 */
	public void advance(Duration duration) {
		this.now.updateAndGet((instant) -> instant.plus(duration));
	}

	/**
	 * Sets the clock to the given instant.
	 * @param instant the instant the clock shows from now on
	 */
	public void set(Instant instant) {
		this.now.set(Objects.requireNonNull(instant, "instant"));
	}

	@Override
	public Instant instant() {
		return this.now.get();
	}

	@Override
	public ZoneId getZone() {
		return this.zone;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return new MutableClock(this.now, Objects.requireNonNull(zone, "zone"));
	}

}
