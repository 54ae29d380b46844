package io.github.wechatminiapp.session;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.util.Assert;

/**
 * Session keys in this JVM's memory, bounded in size, each forgotten a fixed time after it was saved. Enough for
 * one instance; several instances need a shared store.
 */
public final class CaffeineSessionKeyRepository implements SessionKeyRepository {

	private final Cache<String, SessionKey> cache;

	/**
	 * Creates a repository.
	 * @param timeToLive how long a saved key is kept
	 * @param maximumSize how many users' keys are kept at most
	 */
	public CaffeineSessionKeyRepository(Duration timeToLive, long maximumSize) {
		Assert.isTrue(!timeToLive.isZero() && !timeToLive.isNegative(), "timeToLive must be positive");
		Assert.isTrue(maximumSize > 0, "maximumSize must be positive");
		this.cache = Caffeine.newBuilder().expireAfterWrite(timeToLive).maximumSize(maximumSize).build();
	}

	@Override
	public void save(String openid, SessionKey sessionKey) {
		Assert.hasText(openid, "openid must not be empty");
		Assert.notNull(sessionKey, "sessionKey must not be null");
		this.cache.put(openid, sessionKey);
	}

	@Override
	public Optional<SessionKey> find(String openid) {
		return (openid != null) ? Optional.ofNullable(this.cache.getIfPresent(openid)) : Optional.empty();
	}

	@Override
	public void remove(String openid) {
		if (openid != null) {
			this.cache.invalidate(openid);
		}
	}

}
