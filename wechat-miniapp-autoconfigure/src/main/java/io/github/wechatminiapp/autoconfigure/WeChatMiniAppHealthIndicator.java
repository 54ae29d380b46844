package io.github.wechatminiapp.autoconfigure;

import java.time.Clock;

import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.token.AccessTokenUnavailableException;
import io.github.wechatminiapp.token.CachedAccessToken;
import io.github.wechatminiapp.token.CachingAccessTokenProvider;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports the state of the access token from the cache alone: a probe never calls WeChat. Up while a valid token
 * is cached, unknown before the first one is fetched, down when none is valid and the last fetch failed. While
 * WeChat rejects the token and no forced refresh is possible, up with the reason and when it ends: the token
 * still serves what WeChat accepts and the state ends by itself. The token itself is never shown.
 */
final class WeChatMiniAppHealthIndicator implements HealthIndicator {

	private final CachingAccessTokenProvider accessTokens;

	private final Clock clock;

	WeChatMiniAppHealthIndicator(CachingAccessTokenProvider accessTokens, Clock clock) {
		this.accessTokens = accessTokens;
		this.clock = clock;
	}

	@Override
	public Health health() {
		CachedAccessToken token;
		try {
			token = this.accessTokens.cachedToken().orElse(null);
		}
		catch (WeChatMiniAppException ex) {
			return Health.down().withDetail("accessToken", "store unavailable").withDetail("error", ex.getMessage())
				.build();
		}
		String failure = this.accessTokens.lastFetchFailure().orElse(null);
		AccessTokenUnavailableException refusal;
		try {
			refusal = this.accessTokens.forcedRefreshRefusal().orElse(null);
		}
		catch (WeChatMiniAppException ex) {
			return Health.down().withDetail("accessToken", "store unavailable").withDetail("error", ex.getMessage())
				.build();
		}
		if (refusal != null && token != null && token.isUsable(this.clock.instant())) {
			// Not down: the token WeChat hands out still serves the calls it accepts, and this ends by itself.
			Health.Builder health = Health.up()
				.withDetail("accessToken", "rejected by WeChat, kept while no forced refresh is possible")
				.withDetail("forcedRefresh", refusal.reason().name())
				.withDetail("forcedRefreshRetryAfter", refusal.retryAfter().toString());
			return health.withDetail("expiresAt", token.expiresAt().toString()).build();
		}
		if (token != null && token.isUsable(this.clock.instant())) {
			Health.Builder health = Health.up()
				.withDetail("accessToken", "valid")
				.withDetail("expiresAt", token.expiresAt().toString());
			return (failure != null) ? health.withDetail("lastRefreshFailure", failure).build() : health.build();
		}
		if (failure != null) {
			return Health.down().withDetail("accessToken", "none valid").withDetail("error", failure).build();
		}
		return Health.unknown().withDetail("accessToken", "not fetched yet").build();
	}

}
