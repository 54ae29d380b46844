package io.github.wechatminiapp.token;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryAccessTokenStoreTests {

	private static final Instant NOW = Instant.parse("2026-11-26T04:00:00Z");

	private final InMemoryAccessTokenStore store = new InMemoryAccessTokenStore();

	private static CachedAccessToken token(String value, Duration expiresIn) {
		return new CachedAccessToken(value, NOW.plus(expiresIn.dividedBy(2)), NOW.plus(expiresIn));
	}

	@Test
	void aLateWriterNeverReplacesATokenThatExpiresLater() {
		this.store.put(token("newer", Duration.ofMinutes(120)));
		this.store.put(token("older", Duration.ofMinutes(90)));
		assertThat(this.store.get()).map(CachedAccessToken::value).contains("newer");
		this.store.put(token("same-expiry", Duration.ofMinutes(120)));
		assertThat(this.store.get()).map(CachedAccessToken::value).contains("same-expiry");
		this.store.put(token("newest", Duration.ofMinutes(121)));
		assertThat(this.store.get()).map(CachedAccessToken::value).contains("newest");
		this.store.evict("newest");
		this.store.put(token("after-eviction", Duration.ofMinutes(1)));
		assertThat(this.store.get()).map(CachedAccessToken::value).contains("after-eviction");
	}

}
