package io.github.wechatminiapp.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.util.Assert;

/**
 * Session keys in this JVM's memory, bounded in size, each user's forgotten a fixed time
 * after the last login. The key a login replaces is kept as the previous one for a
 * shorter, bounded time. Enough for one instance; several instances need a shared store.
 * <p>
 * Decryption failures are counted atomically beside the keys, and live as long as the key
 * they belong to: {@link #remove(String)} keeps the count, and a later
 * {@link #save(String, SessionKey)} of the same key finds it again. A reservation, its
 * release and a failure counted change the count in place, with a compare-and-set on the
 * user's entry, without a write to the cache: they neither allocate nor extend the
 * entry's life. A write that replaces an entry (a save, a removal) first retires it, so
 * that no count lands on an entry after its count was carried over.
 * <p>
 * Kept small for millions of users (about 170 bytes each with WeChat's 28-character
 * openids, measured by {@code SessionKeyStoreBenchmark}): the openid is packed into three
 * numbers, the key into two, the count and flags into one, and the previous key and its
 * expiry are kept only while a rotation is recent. The session keys handed out are made
 * afresh on each read.
 */
public final class CaffeineSessionKeyRepository implements SessionKeyRepository {

	private final Cache<Object, Entry> cache;

	/**
	 * Reads the counting does without side effects: the lookup before it was the user's
	 * access.
	 */
	private final Policy<Object, Entry> policy;

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
		this.policy = this.cache.policy();
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
			Entry replacement = replacement(stored, high, low, now);
			// Retired last, once nothing can fail: a retired entry left in the cache
			// would send every reservation after it round and round.
			int failures = stored.retire() & Entry.FAILURES;
			// The failure count belongs to a key: the same key again keeps it, another
			// key starts afresh.
			if (stored.counts(high, low)) {
				replacement.carry(failures);
			}
			return replacement;
		});
	}

	/**
	 * The entry a save of this key puts in place of the stored one, without the count
	 * yet: the same key keeps the previous one as it was, while it lasts; another key
	 * becomes the current one and the stored key the previous one.
	 * @param stored the user's entry before the save
	 * @param high the first 64 bits of the key saved
	 * @param low the last 64 bits of the key saved
	 * @param now the ticker's time, in nanoseconds
	 * @return the new entry, not yet published
	 */
	private Entry replacement(Entry stored, long high, long low, long now) {
		int state = Entry.SAVED | Entry.PRESENT;
		if (stored.counts(high, low)) {
			return stored.hasPreviousUntil(now) ? new EntryWithPrevious(high, low, state, (EntryWithPrevious) stored)
					: new Entry(high, low, state);
		}
		if (!stored.isPresent() || this.previousKeyTimeToLiveNanos == 0) {
			return new Entry(high, low, state);
		}
		return new EntryWithPrevious(high, low, state, stored.high, stored.low, now + this.previousKeyTimeToLiveNanos);
	}

	@Override
	public Optional<SessionKey> find(String openid) {
		Entry stored = present(openid);
		return (stored != null) ? Optional.of(SessionKey.ofLongs(stored.high, stored.low)) : Optional.empty();
	}

	@Override
	public int recordDecryptionFailure(String openid, SessionKey sessionKey) {
		return reserveDecryption(openid, sessionKey, Integer.MAX_VALUE);
	}

	@Override
	public int reserveDecryption(String openid, SessionKey sessionKey, int budget) {
		Assert.hasText(openid, "openid must not be empty");
		Assert.notNull(sessionKey, "sessionKey must not be null");
		Object id = CompactOpenid.of(openid);
		int reserved = 0;
		while (reserved == 0) {
			Entry stored = this.policy.getIfPresentQuietly(id);
			if (stored == null) {
				// Expired or evicted between the read and now: count against the key that
				// was read, in an entry that lives the full time.
				long high = sessionKey.high();
				long low = sessionKey.low();
				stored = this.cache.get(id, (key) -> new Entry(high, low, 0));
			}
			reserved = stored.reserve(budget);
		}
		return reserved;
	}

	@Override
	public void releaseDecryption(String openid, SessionKey sessionKey) {
		Assert.hasText(openid, "openid must not be empty");
		Assert.notNull(sessionKey, "sessionKey must not be null");
		Object id = CompactOpenid.of(openid);
		Entry stored = this.policy.getIfPresentQuietly(id);
		while (stored != null && !stored.release(sessionKey.high(), sessionKey.low())) {
			// Retired by a write meanwhile: give the slot back on the entry that replaced
			// it, if it still counts for that key.
			stored = this.policy.getIfPresentQuietly(id);
		}
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
						(key, stored) -> new Entry(stored.high, stored.low, stored.retire() & Entry.FAILURES));
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
	 * same key back. The count changes in place (compare-and-set); a write that replaces
	 * the entry retires it first, after which it counts nothing. 32 bytes of heap.
	 */
	static class Entry {

		/**
		 * The low bits of {@link #state}: the count, which stops at {@link #MAX_COUNT}
		 * rather than wrap; all ones marks an entry retired.
		 */
		static final int FAILURES = (1 << 30) - 1;

		/** The highest count; counting more leaves it there. */
		static final int MAX_COUNT = FAILURES - 1;

		/** The key is the user's current one (not removed). */
		static final int PRESENT = 1 << 30;

		/**
		 * Written by a save: the entry lives the full time from now; otherwise, from the
		 * last save.
		 */
		static final int SAVED = 1 << 31;

		private static final VarHandle STATE;

		static {
			try {
				STATE = MethodHandles.lookup().findVarHandle(Entry.class, "state", int.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		final long high;

		final long low;

		private volatile int state;

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

		boolean isSaved() {
			return (this.state & SAVED) != 0;
		}

		/**
		 * Counts one more decryption unless {@code budget} are counted already; at
		 * {@link #MAX_COUNT} it grants without counting, as the count cannot go higher.
		 * @param budget the decryptions allowed
		 * @return the count with this one, more than {@code budget} when refused (nothing
		 * counted), or 0 when the entry was retired (try the one that replaced it)
		 */
		int reserve(int budget) {
			int seen;
			int failures;
			do {
				seen = this.state;
				failures = seen & FAILURES;
				if (failures == FAILURES) {
					return 0;
				}
				if (failures >= budget) {
					return failures + 1;
				}
			}
			while (failures < MAX_COUNT && !STATE.compareAndSet(this, seen, seen + 1));
			return failures + 1;
		}

		/**
		 * Gives one reservation back, when the count is that key's and above zero.
		 * @param high the first 64 bits of the key the slot was reserved against
		 * @param low the last 64 bits of that key
		 * @return false when the entry was retired (try the one that replaced it)
		 */
		boolean release(long high, long low) {
			int seen;
			int failures;
			do {
				seen = this.state;
				failures = seen & FAILURES;
				if (failures == FAILURES) {
					return false;
				}
			}
			while (failures > 0 && counts(high, low) && !STATE.compareAndSet(this, seen, seen - 1));
			return true;
		}

		/**
		 * Adds the count carried over from the entry this one replaces, before it is
		 * published.
		 * @param failures the count
		 */
		void carry(int failures) {
			this.state |= failures;
		}

		/**
		 * Retires this entry, for a write that replaces it: from now on it counts
		 * nothing. Called under the cache's lock for the user, so only counting races it.
		 * @return the state it had
		 */
		int retire() {
			return (int) STATE.getAndBitwiseOr(this, FAILURES);
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
