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
 * Session keys in this JVM's memory, bounded in size, each user's forgotten a fixed time
 * after the last login. The key a login replaces is kept as the previous one for a
 * shorter, bounded time. Enough for one instance; several instances need a shared store.
 * <p>
 * Decryption failures are counted atomically beside the keys, and live as long as the key
 * they belong to: {@link #remove(String)} keeps the count, and a later
 * {@link #save(String, SessionKey)} of the same key finds it again.
 * <p>
 * Kept small for millions of users (about 170 bytes each with WeChat's 28-character
 * openids, measured by {@code SessionKeyStoreBenchmark}): the openid is packed into three
 * numbers, the key into two, the count and flags into one, and the previous key and its
 * expiry are kept only while a rotation is recent. The session keys handed out are made
 * afresh on each read.
 */
public final class CaffeineSessionKeyRepository implements SessionKeyRepository {

	private final Cache<Object, Entry> cache;

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
	 * @param previousKeyTimeToLive how long a replaced key is kept as the previous one;
	 * zero keeps none
	 */
	public CaffeineSessionKeyRepository(Duration timeToLive, long maximumSize, Duration previousKeyTimeToLive) {
		this(timeToLive, maximumSize, previousKeyTimeToLive, Ticker.systemTicker());
	}

	CaffeineSessionKeyRepository(Duration timeToLive, long maximumSize, Duration previousKeyTimeToLive, Ticker ticker) {
		Assert.isTrue(!timeToLive.isZero() && !timeToLive.isNegative(), "timeToLive must be positive");
		Assert.isTrue(maximumSize > 0, "maximumSize must be positive");
		Assert.isTrue(!previousKeyTimeToLive.isNegative(), "previousKeyTimeToLive must not be negative");
		this.cache = Caffeine.newBuilder()
			.expireAfter(new SinceLastSave(timeToLive.toNanos()))
			.maximumSize(maximumSize)
			.ticker(ticker)
			// Maintenance is cheap; on the caller's thread it saves waking a pool thread
			// on busy reads.
			.executor(Runnable::run)
			.build();
		this.previousKeyTimeToLiveNanos = previousKeyTimeToLive.toNanos();
		this.ticker = ticker;
	}

	@Override
	public void save(String openid, SessionKey sessionKey) {
		Assert.hasText(openid, "openid must not be empty");
		Assert.notNull(sessionKey, "sessionKey must not be null");
		long high = sessionKey.high();
		long low = sessionKey.low();
		long now = this.ticker.read();
		this.cache.asMap().compute(CompactOpenid.of(openid), (key, stored) -> {
			if (stored == null) {
				return new Entry(high, low, Entry.SAVED | Entry.PRESENT);
			}
			// The failure count belongs to a key: the same key again keeps it, another
			// key starts afresh.
			if (stored.counts(high, low)) {
				int state = Entry.SAVED | Entry.PRESENT | stored.failures();
				// The same key as the current one keeps the previous one as it was, while
				// it lasts.
				return stored.hasPreviousUntil(now)
						? new EntryWithPrevious(high, low, state, (EntryWithPrevious) stored)
						: new Entry(high, low, state);
			}
			if (!stored.isPresent() || this.previousKeyTimeToLiveNanos == 0) {
				return new Entry(high, low, Entry.SAVED | Entry.PRESENT);
			}
			return new EntryWithPrevious(high, low, Entry.SAVED | Entry.PRESENT, stored.high, stored.low,
					now + this.previousKeyTimeToLiveNanos);
		});
	}

	@Override
	public Optional<SessionKey> find(String openid) {
		Entry stored = present(openid);
		return (stored != null) ? Optional.of(SessionKey.ofLongs(stored.high, stored.low)) : Optional.empty();
	}

	@Override
	public int recordDecryptionFailure(String openid, SessionKey sessionKey) {
		Assert.hasText(openid, "openid must not be empty");
		Assert.notNull(sessionKey, "sessionKey must not be null");
		long now = this.ticker.read();
		Entry counted = this.cache.asMap().compute(CompactOpenid.of(openid), (key, stored) -> {
			if (stored == null) {
				// Expired or evicted between the read and now: count against the key that
				// was read.
				return new Entry(sessionKey.high(), sessionKey.low(), 1);
			}
			int state = stored.withOneMoreFailure();
			return stored.hasPreviousUntil(now)
					? new EntryWithPrevious(stored.high, stored.low, state, (EntryWithPrevious) stored)
					: new Entry(stored.high, stored.low, state);
		});
		return counted.failures();
	}

	@Override
	public int reserveDecryption(String openid, SessionKey sessionKey, int budget) {
		Assert.hasText(openid, "openid must not be empty");
		Assert.notNull(sessionKey, "sessionKey must not be null");
		long now = this.ticker.read();
		int[] reserved = new int[1];
		this.cache.asMap().compute(CompactOpenid.of(openid), (key, stored) -> {
			if (stored == null) {
				// Expired or evicted between the read and now: count against the key that
				// was read.
				reserved[0] = 1;
				return new Entry(sessionKey.high(), sessionKey.low(), 1);
			}
			reserved[0] = stored.failures() + 1;
			// Rewritten even when refused: returning the entry as it was would count as a
			// save and extend its life.
			return stored.withState(stored.withFailures((reserved[0] <= budget) ? reserved[0] : stored.failures()),
					now);
		});
		return reserved[0];
	}

	@Override
	public void releaseDecryption(String openid, SessionKey sessionKey) {
		Assert.hasText(openid, "openid must not be empty");
		Assert.notNull(sessionKey, "sessionKey must not be null");
		long now = this.ticker.read();
		this.cache.asMap()
			.computeIfPresent(CompactOpenid.of(openid),
					(key, stored) -> stored.withState(stored
						.withFailures((stored.counts(sessionKey.high(), sessionKey.low()) && stored.failures() > 0)
								? stored.failures() - 1 : stored.failures()),
							now));
	}

	@Override
	public List<SessionKey> findRecent(String openid) {
		Entry stored = present(openid);
		if (stored == null) {
			return List.of();
		}
		SessionKey current = SessionKey.ofLongs(stored.high, stored.low);
		if (stored.hasPreviousUntil(this.ticker.read())) {
			EntryWithPrevious rotated = (EntryWithPrevious) stored;
			return List.of(current, SessionKey.ofLongs(rotated.previousHigh, rotated.previousLow));
		}
		return List.of(current);
	}

	@Override
	public void remove(String openid) {
		if (openid != null) {
			// A count outlives the keys, so that the same key saved again does not buy a
			// fresh budget.
			this.cache.asMap()
				.computeIfPresent(CompactOpenid.of(openid),
						(key, stored) -> new Entry(stored.high, stored.low, stored.failures()));
		}
	}

	/**
	 * The user's entry if it holds keys (not only a count).
	 * @param openid the user's openid, or {@code null}
	 * @return the entry, or {@code null} when there is none or it holds only a count
	 */
	private Entry present(String openid) {
		if (openid == null) {
			return null;
		}
		Entry stored = this.cache.getIfPresent(CompactOpenid.of(openid));
		return (stored != null && stored.isPresent()) ? stored : null;
	}

	/**
	 * A user's entry: a key, and in one number the decryption failures counted against it
	 * and two flags. The key is the current one while {@link #PRESENT}; after a removal
	 * only its count is kept, and the key is kept to tell whether a later save brings the
	 * same key back. 32 bytes of heap.
	 */
	static class Entry {

		/**
		 * The low bits of {@link #state}: the count, which stops at about a billion
		 * rather than wrap.
		 */
		static final int FAILURES = (1 << 30) - 1;

		/** The key is the user's current one (not removed). */
		static final int PRESENT = 1 << 30;

		/**
		 * Written by a save: the entry lives the full time from now; otherwise, from the
		 * last save.
		 */
		static final int SAVED = 1 << 31;

		final long high;

		final long low;

		final int state;

		Entry(long high, long low, int state) {
			this.high = high;
			this.low = low;
			this.state = state;
		}

		int failures() {
			return this.state & FAILURES;
		}

		boolean isPresent() {
			return (this.state & PRESENT) != 0;
		}

		/**
		 * The state after one more failure: not a save, as present as before.
		 * @return the new state
		 */
		int withOneMoreFailure() {
			return withFailures(failures() + 1);
		}

		/**
		 * The state with this count: not a save, as present as before.
		 * @param failures the failure count, capped at {@link #FAILURES}
		 * @return the new state
		 */
		int withFailures(int failures) {
			return (this.state & PRESENT) | Math.min(failures, FAILURES);
		}

		/**
		 * This entry with another state, keeping the previous key while it lasts.
		 * @param state the new state
		 * @param now the ticker's time, in nanoseconds
		 * @return the new entry
		 */
		Entry withState(int state, long now) {
			return hasPreviousUntil(now) ? new EntryWithPrevious(this.high, this.low, state, (EntryWithPrevious) this)
					: new Entry(this.high, this.low, state);
		}

		boolean isSaved() {
			return (this.state & SAVED) != 0;
		}

		/**
		 * Whether the failures counted here belong to that key; compared without an early
		 * exit.
		 * @param high the first 64 bits of the key
		 * @param low the last 64 bits of the key
		 * @return whether the key is this entry's
		 */
		boolean counts(long high, long low) {
			return ((this.high ^ high) | (this.low ^ low)) == 0;
		}

		boolean hasPreviousUntil(long now) {
			return false;
		}

	}

	/**
	 * An entry holding, besides, the key its last save replaced, while a rotation is
	 * recent. 56 bytes of heap.
	 */
	private static final class EntryWithPrevious extends Entry {

		final long previousHigh;

		final long previousLow;

		/** In the ticker's nanoseconds. */
		final long previousExpiresAt;

		EntryWithPrevious(long high, long low, int state, long previousHigh, long previousLow, long previousExpiresAt) {
			super(high, low, state);
			this.previousHigh = previousHigh;
			this.previousLow = previousLow;
			this.previousExpiresAt = previousExpiresAt;
		}

		EntryWithPrevious(long high, long low, int state, EntryWithPrevious previous) {
			this(high, low, state, previous.previousHigh, previous.previousLow, previous.previousExpiresAt);
		}

		@Override
		boolean hasPreviousUntil(long now) {
			return isPresent() && now - this.previousExpiresAt < 0;
		}

	}

	/**
	 * A user's entry lives a fixed time after the last save: counting a failure or
	 * removing the keys must not extend it. An entry made by counting a failure for an
	 * absent user lives the full time.
	 */
	private static final class SinceLastSave implements Expiry<Object, Entry> {

		private final long timeToLiveNanos;

		SinceLastSave(long timeToLiveNanos) {
			this.timeToLiveNanos = timeToLiveNanos;
		}

		@Override
		public long expireAfterCreate(Object key, Entry entry, long currentTime) {
			return this.timeToLiveNanos;
		}

		@Override
		public long expireAfterUpdate(Object key, Entry entry, long currentTime, long currentDuration) {
			return entry.isSaved() ? this.timeToLiveNanos : currentDuration;
		}

		@Override
		public long expireAfterRead(Object key, Entry entry, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
