package io.github.wechatminiapp.token;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccessTokenStatusTests {

	private static final Instant NOW = Instant.parse("2026-11-26T04:00:00Z");

	@Test
	void aTokenIsUsableUntilItsExpiryExclusive() {
		assertThat(new AccessTokenStatus(NOW, NOW.plusMillis(1), null, null, null).hasUsableToken()).isTrue();
		assertThat(new AccessTokenStatus(NOW, NOW, null, null, null).hasUsableToken()).isFalse();
		assertThat(new AccessTokenStatus(NOW, NOW.minusMillis(1), null, null, null).hasUsableToken()).isFalse();
		assertThat(new AccessTokenStatus(NOW, null, null, null, null).hasUsableToken()).isFalse();
	}

	@Test
	void theFailureIsOptional() {
		AccessTokenStatus.Failure failure = new AccessTokenStatus.Failure("busy", false, -1, null, 1, NOW);
		assertThat(new AccessTokenStatus(NOW, null, failure, null, null).failure()).containsSame(failure);
		assertThat(new AccessTokenStatus(NOW, null, null, null, null).failure()).isEmpty();
	}

}
