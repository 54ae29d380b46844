package io.github.wechatminiapp.token;

import java.time.Duration;
import java.time.Instant;

import io.github.wechatminiapp.client.AccessToken;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CachedAccessTokenTests {

	private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

	@Test
	void refreshIsDueRefreshBeforeAheadOfExpiry() {
		CachedAccessToken token = CachedAccessToken.of(new AccessToken("t", Duration.ofSeconds(7200)), NOW,
				Duration.ofMinutes(5));
		assertThat(token.expiresAt()).isEqualTo(NOW.plusSeconds(7200));
		assertThat(token.refreshAt()).isEqualTo(NOW.plusSeconds(6900));
		assertThat(token.isRefreshDue(NOW.plusSeconds(6899))).isFalse();
		assertThat(token.isRefreshDue(NOW.plusSeconds(6900))).isTrue();
		assertThat(token.isUsable(NOW.plusSeconds(7199))).isTrue();
		assertThat(token.isUsable(NOW.plusSeconds(7200))).isFalse();
	}

	@Test
	void shortRemainingValidityRefreshesHalfWay() {
		CachedAccessToken token = CachedAccessToken.of(new AccessToken("t", Duration.ofSeconds(120)), NOW,
				Duration.ofMinutes(5));
		assertThat(token.refreshAt()).isEqualTo(NOW.plusSeconds(60));
		assertThat(token.isUsable(NOW.plusSeconds(60))).isTrue();
	}

	@Test
	void toStringHidesTheToken() {
		assertThat(CachedAccessToken.of(new AccessToken("SECRET-TOKEN", Duration.ofSeconds(10)), NOW, Duration.ZERO))
			.asString()
			.doesNotContain("SECRET-TOKEN")
			// What is safe to show still is: when the token is refreshed and when it
			// expires.
			.isEqualTo("CachedAccessToken[value=******, refreshAt=" + NOW.plusSeconds(10) + ", expiresAt="
					+ NOW.plusSeconds(10) + "]");
		assertThat(new AccessToken("SECRET-TOKEN", Duration.ofSeconds(10)).toString()).doesNotContain("SECRET-TOKEN");
	}

}
