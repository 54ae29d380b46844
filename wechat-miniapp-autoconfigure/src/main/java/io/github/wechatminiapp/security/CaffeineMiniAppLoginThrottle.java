package io.github.wechatminiapp.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.util.Assert;

/**
 * Failed logins counted in this JVM, per client address and fixed window. The number of
 * addresses remembered is bounded, so a flood from many addresses costs bounded memory
 * (the oldest are forgotten first).
 */
public final class CaffeineMiniAppLoginThrottle implements MiniAppLoginThrottle {

	/** Addresses remembered at most. */
	static final int MAXIMUM_ADDRESSES = 100_000;

	private final int maxFailures;

	private final Duration window;

	private final Clock clock;

	private final Cache<String, Window> windows;

	/**
	 * Creates a throttle.
	 * @param maxFailures failed logins allowed per address and window
	 * @param window the window
	 * @param clock the clock windows are measured with
	 */
	public CaffeineMiniAppLoginThrottle(int maxFailures, Duration window, Clock clock) {
		Assert.isTrue(maxFailures > 0, "maxFailures must be positive");
		Assert.isTrue(window.compareTo(Duration.ofSeconds(1)) >= 0, "window must be at least one second");
		Assert.notNull(clock, "clock must not be null");
		this.maxFailures = maxFailures;
		this.window = window;
		this.clock = clock;
		this.windows = Caffeine.newBuilder().maximumSize(MAXIMUM_ADDRESSES).executor(Runnable::run).build();
	}

	@Override
	public Optional<Duration> blockedFor(String clientAddress) {
		Window current = this.windows.getIfPresent(clientAddress);
		Instant now = this.clock.instant();
		if (current == null || !now.isBefore(current.end()) || current.failures() < this.maxFailures) {
			return Optional.empty();
		}
		return Optional.of(Duration.between(now, current.end()));
	}

	@Override
	public void recordFailure(String clientAddress) {
		Instant now = this.clock.instant();
		this.windows.asMap()
			.compute(clientAddress, (address, current) -> (current == null || !now.isBefore(current.end()))
					? new Window(now.plus(this.window), 1) : new Window(current.end(), current.failures() + 1));
	}

	private record Window(Instant end, int failures) {
	}

}
