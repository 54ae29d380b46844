package io.github.wechatminiapp.token;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the access token in this JVM. Neither a lock nor a forced-refresh ledger: with
 * one JVM, the provider's own single flight and {@link LocalForcedRefreshLedger} are all
 * it needs.
 */
public final class InMemoryAccessTokenStore implements AccessTokenStore {

	private final AtomicReference<CachedAccessToken> token = new AtomicReference<>();

	@Override
	public Optional<CachedAccessToken> get() {
		return Optional.ofNullable(this.token.get());
	}

	@Override
	public void put(CachedAccessToken token) {
		this.token.updateAndGet(
				(current) -> (current != null && current.expiresAt().isAfter(token.expiresAt())) ? current : token);
	}

	@Override
	public void evict(String value) {
		this.token.updateAndGet((current) -> (current != null && current.value().equals(value)) ? null : current);
	}

}
