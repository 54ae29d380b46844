package io.github.wechatminiapp.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the access token, and the count of forced refreshes, in this JVM.
 */
public final class InMemoryAccessTokenStore implements AccessTokenStore {

	private final AtomicReference<CachedAccessToken> token = new AtomicReference<>();

	private final ForcedRefreshLedger forcedRefreshes = new ForcedRefreshLedger();

	@Override
	public Optional<CachedAccessToken> get() {
		return Optional.ofNullable(this.token.get());
	}

	@Override
	public void put(CachedAccessToken token) {
		this.token.updateAndGet((current) -> (current != null && current.expiresAt().isAfter(token.expiresAt()))
				? current : token);
	}

	@Override
	public void evict(String value) {
		this.token.updateAndGet((current) -> (current != null && current.value().equals(value)) ? null : current);
	}

	@Override
	public ForcedRefreshClaim tryClaimForcedRefresh(Instant now, Duration interval, int perDay) {
		return this.forcedRefreshes.claim(now, interval, perDay);
	}

	@Override
	public void blockForcedRefreshes(Instant until) {
		this.forcedRefreshes.block(until);
	}

}
