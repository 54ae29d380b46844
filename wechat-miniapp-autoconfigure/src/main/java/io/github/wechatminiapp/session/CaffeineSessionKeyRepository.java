package io.github.wechatminiapp.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.util.Assert;

/**
 * Session keys in this JVM's memory, bounded in size, each user's forgotten a fixed time after the last login.
 * The key a login replaces is kept as the previous one for a shorter, bounded time. Enough for one instance;
 * several instances need a shared store.
 */
public final class CaffeineSessionKeyRepository implements SessionKeyRepository {

	private final Cache<String, StoredKeys> cache;

	private final long previousKeyTimeToLiveNanos;

	private final Ticker ticker;

	/**
	 * Creates a repository that keeps a replaced key for
	 * {@link SessionKeyRepository#DEFAULT_PREVIOUS_KEY_TIME_TO_LIVE}.
	 * @param timeToLive how long a saved key is kept
	 * @param maximumSize how many users' keys are kept at most
	 */
	public CaffeineSessionKeyRepository(Duration timeToLive, long maximumSize) {
		this(timeToLive, maximumSize, DEFAULT_PREVIOUS_KEY_TIME_TO_LIVE);
	}

	/**
	 * Creates a repository.
	 * @param timeToLive how long a saved key is kept
	 * @param maximumSize how many users' keys are kept at most
	 * @param previousKeyTimeToLive how long a replaced key is kept as the previous one; zero keeps none
	 */
	public CaffeineSessionKeyRepository(Duration timeToLive, long maximumSize, Duration previousKeyTimeToLive) {
		this(timeToLive, maximumSize, previousKeyTimeToLive, Ticker.systemTicker());
	}

	CaffeineSessionKeyRepository(Duration timeToLive, long maximumSize, Duration previousKeyTimeToLive,
			Ticker ticker) {
		Assert.isTrue(!timeToLive.isZero() && !timeToLive.isNegative(), "timeToLive must be positive");
		Assert.isTrue(maximumSize > 0, "maximumSize must be positive");
		Assert.isTrue(!previousKeyTimeToLive.isNegative(), "previousKeyTimeToLive must not be negative");
		this.cache = Caffeine.newBuilder()
			.expireAfterWrite(timeToLive)
			.maximumSize(maximumSize)
			.ticker(ticker)
			// Maintenance is cheap; on the caller's thread it saves waking a pool thread on busy reads.
			.executor(Runnable::run)
			.build();
		this.previousKeyTimeToLiveNanos = previousKeyTimeToLive.toNanos();
		this.ticker = ticker;
	}

	@Override
	public void save(String openid, SessionKey sessionKey) {
		Assert.hasText(openid, "openid must not be empty");
		Assert.notNull(sessionKey, "sessionKey must not be null");
		long now = this.ticker.read();
		this.cache.asMap().compute(openid, (key, stored) -> {
			if (stored == null) {
				return new StoredKeys(sessionKey, null, 0);
			}
			if (stored.current().equals(sessionKey)) {
				return new StoredKeys(sessionKey, stored.previous(), stored.previousExpiresAt());
			}
			return (this.previousKeyTimeToLiveNanos > 0)
					? new StoredKeys(sessionKey, stored.current(), now + this.previousKeyTimeToLiveNanos)
					: new StoredKeys(sessionKey, null, 0);
		});
	}

	@Override
	public Optional<SessionKey> find(String openid) {
		return stored(openid).map(StoredKeys::current);
	}

	@Override
	public List<SessionKey> findRecent(String openid) {
		return stored(openid).map((stored) -> (stored.previous() != null
				&& this.ticker.read() - stored.previousExpiresAt() < 0) ? List.of(stored.current(), stored.previous())
						: List.of(stored.current()))
			.orElseGet(List::of);
	}

	@Override
	public void remove(String openid) {
		if (openid != null) {
			this.cache.invalidate(openid);
		}
	}

	private Optional<StoredKeys> stored(String openid) {
		return (openid != null) ? Optional.ofNullable(this.cache.getIfPresent(openid)) : Optional.empty();
	}

	private record StoredKeys(SessionKey current, SessionKey previous, long previousExpiresAt) {
	}

}
