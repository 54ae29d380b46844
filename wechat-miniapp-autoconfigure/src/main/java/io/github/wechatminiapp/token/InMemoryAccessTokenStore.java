package io.github.wechatminiapp.token;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the access token in this JVM.
 */
public final class InMemoryAccessTokenStore implements AccessTokenStore {

	private final AtomicReference<CachedAccessToken> token = new AtomicReference<>();

	@Override
	public Optional<CachedAccessToken> get() {
		return Optional.ofNullable(this.token.get());
	}

	@Override
	public void put(CachedAccessToken token) {
		this.token.set(token);
	}

	@Override
	public void evict(String value) {
		this.token.updateAndGet((current) -> (current != null && current.value().equals(value)) ? null : current);
	}

}
