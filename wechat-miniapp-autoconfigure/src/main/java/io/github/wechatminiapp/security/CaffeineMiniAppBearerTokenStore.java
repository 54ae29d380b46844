package io.github.wechatminiapp.security;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import org.springframework.util.Assert;

/**
 * Bearer tokens in this JVM's memory, each dropped when its time to live is over; the oldest go first when the
 * store is full. For one instance only: another instance does not know these tokens.
 */
public final class CaffeineMiniAppBearerTokenStore implements MiniAppBearerTokenStore {

	private final Cache<String, Entry> tokens;

	/**
	 * Creates a store.
	 * @param maximumSize the most tokens kept
	 */
	public CaffeineMiniAppBearerTokenStore(long maximumSize) {
		Assert.isTrue(maximumSize > 0, "maximumSize must be positive");
		this.tokens = Caffeine.newBuilder()
			.maximumSize(maximumSize)
			.expireAfter(Expiry.<String, Entry>writing((hash, entry) -> entry.timeToLive()))
			.build();
	}

	@Override
	public void save(String tokenHash, MiniAppBearerTokenRecord record, Duration timeToLive) {
		this.tokens.put(tokenHash, new Entry(record, timeToLive));
	}

	@Override
	public void replaceIfPresent(String tokenHash, MiniAppBearerTokenRecord record, Duration timeToLive) {
		this.tokens.asMap().computeIfPresent(tokenHash, (hash, entry) -> new Entry(record, timeToLive));
	}

	@Override
	public Optional<MiniAppBearerTokenRecord> find(String tokenHash) {
		return Optional.ofNullable(this.tokens.getIfPresent(tokenHash)).map(Entry::record);
	}

	@Override
	public void remove(String tokenHash) {
		this.tokens.invalidate(tokenHash);
	}

	private record Entry(MiniAppBearerTokenRecord record, Duration timeToLive) {
	}

}
