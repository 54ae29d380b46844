package io.github.wechatminiapp.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import org.springframework.util.Assert;

/**
 * Bearer tokens in this JVM's memory, each dropped when its time to live is over; the
 * oldest go first when the store is full. For one instance only: another instance does
 * not know these tokens. Each user's tokens are also listed by user, for
 * {@link #findTokenHashes} and {@link #removeAll}.
 */
public final class CaffeineMiniAppBearerTokenStore implements MiniAppBearerTokenStore {

	private final Cache<String, Entry> tokens;

	private final Cache<String, UserTokens> users;

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
		// A user is listed until the absolute expiry of their newest token: no token of
		// theirs lives longer.
		this.users = Caffeine.newBuilder()
			.maximumSize(maximumSize)
			.expireAfter(Expiry.<String, UserTokens>writing((user, entry) -> entry.timeToLive()))
			.build();
	}

	@Override
	public void save(String tokenHash, MiniAppBearerTokenRecord record, Duration timeToLive) {
		this.tokens.put(tokenHash, new Entry(record, timeToLive));
		this.users.asMap().compute(userKey(record.principal().appId(), record.principal().openid()), (user, entry) -> {
			List<String> hashes = (entry != null) ? new ArrayList<>(entry.hashes()) : new ArrayList<>();
			hashes.removeIf((hash) -> this.tokens.getIfPresent(hash) == null);
			hashes.add(tokenHash);
			return new UserTokens(List.copyOf(hashes), untilAbsoluteExpiry(record, timeToLive));
		});
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

	@Override
	public List<String> findTokenHashes(String appId, String openid) {
		UserTokens entry = this.users.getIfPresent(userKey(appId, openid));
		if (entry == null) {
			return List.of();
		}
		return entry.hashes().stream().filter((hash) -> this.tokens.getIfPresent(hash) != null).toList();
	}

	@Override
	public void removeAll(String appId, String openid) {
		UserTokens entry = this.users.asMap().remove(userKey(appId, openid));
		if (entry != null) {
			this.tokens.invalidateAll(entry.hashes());
		}
	}

	/**
	 * How long from now until the record's absolute expiry, measured from the time to
	 * live given with it, so that the clock of the service and the store's need not
	 * agree.
	 * @param record the token's record
	 * @param timeToLive the time to live given with the record, until its sliding expiry
	 * @return the time until the record's absolute expiry
	 */
	static Duration untilAbsoluteExpiry(MiniAppBearerTokenRecord record, Duration timeToLive) {
		return timeToLive.plus(Duration.between(record.expiry(), record.absoluteExpiry()));
	}

	private static String userKey(String appId, String openid) {
		return appId + ":" + openid;
	}

	private record Entry(MiniAppBearerTokenRecord record, Duration timeToLive) {
	}

	private record UserTokens(List<String> hashes, Duration timeToLive) {
	}

}
