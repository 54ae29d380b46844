package io.github.wechatminiapp.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.util.Assert;

/**
 * Session keys in this JVM's memory, bounded in size, each user's forgotten a fixed time after the last login.
 * The key a login replaces is kept as the previous one for a shorter, bounded time. Enough for one instance;
 * several instances need a shared store.
 * <p>
 * Decryption failures are counted atomically beside the keys, and live as long as the key they belong to:
 * {@link #remove(String)} keeps the count, and a later {@link #save(String, SessionKey)} of the same
 * key finds it again.
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
		long timeToLiveNanos = timeToLive.toNanos();
		this.cache = Caffeine.newBuilder()
			// A user's entry lives a fixed time after the last save: counting a failure must not extend the key.
			.expireAfter(Expiry.<String, StoredKeys>writing(
					(openid, stored) -> Duration.ofNanos(Math.max(0, stored.savedAt() + timeToLiveNanos - ticker.read()))))
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
			// The failure count belongs to a key: the same key again keeps it, another key starts afresh.
			int failures = (stored != null && sessionKey.equals(stored.counted())) ? stored.failures() : 0;
			if (stored == null || stored.current() == null) {
				return new StoredKeys(sessionKey, null, 0, sessionKey, failures, now);
			}
			if (stored.current().equals(sessionKey)) {
				return new StoredKeys(sessionKey, stored.previous(), stored.previousExpiresAt(), sessionKey, failures,
						now);
			}
			return (this.previousKeyTimeToLiveNanos > 0)
					? new StoredKeys(sessionKey, stored.current(), now + this.previousKeyTimeToLiveNanos, sessionKey, 0,
							now)
					: new StoredKeys(sessionKey, null, 0, sessionKey, 0, now);
		});
	}

	@Override
	public Optional<SessionKey> find(String openid) {
		return stored(openid).map(StoredKeys::current);
	}

	@Override
	public int recordDecryptionFailure(String openid, SessionKey sessionKey) {
		Assert.hasText(openid, "openid must not be empty");
		Assert.notNull(sessionKey, "sessionKey must not be null");
		StoredKeys counted = this.cache.asMap().compute(openid, (key, stored) -> {
			if (stored == null) {
				// Expired or evicted between the read and now: count against the key that was read.
				return new StoredKeys(null, null, 0, sessionKey, 1, this.ticker.read());
			}
			return new StoredKeys(stored.current(), stored.previous(), stored.previousExpiresAt(), stored.counted(),
					stored.failures() + 1, stored.savedAt());
		});
		return counted.failures();
	}

	@Override
	public List<SessionKey> findRecent(String openid) {
		return stored(openid).filter((stored) -> stored.current() != null)
			.map((stored) -> (stored.previous() != null
				&& this.ticker.read() - stored.previousExpiresAt() < 0) ? List.of(stored.current(), stored.previous())
						: List.of(stored.current()))
			.orElseGet(List::of);
	}

	@Override
	public void remove(String openid) {
		if (openid != null) {
			// A count outlives the keys, so that the same key saved again does not buy a fresh budget.
			this.cache.asMap()
				.computeIfPresent(openid, (key, stored) -> new StoredKeys(null, null, 0, stored.counted(),
						stored.failures(), stored.savedAt()));
		}
	}

	private Optional<StoredKeys> stored(String openid) {
		return (openid != null) ? Optional.ofNullable(this.cache.getIfPresent(openid)) : Optional.empty();
	}

	/**
	 * A user's keys (none after a removal that kept the count), and the decryption failures counted against the key
	 * {@code counted}.
	 */
	private record StoredKeys(SessionKey current, SessionKey previous, long previousExpiresAt, SessionKey counted,
			int failures, long savedAt) {
	}

}
