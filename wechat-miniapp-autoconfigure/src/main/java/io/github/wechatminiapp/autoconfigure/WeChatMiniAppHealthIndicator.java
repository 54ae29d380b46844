package io.github.wechatminiapp.autoconfigure;

import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.token.AccessTokenStatus;
import io.github.wechatminiapp.token.ObservableAccessTokenProvider;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Reports the state of one app's access token from the provider's memory and store alone:
 * a probe never calls WeChat. Down only while WeChat refuses this server's configuration
 * (app id, secret, IP allow list), which only an operator can end, with the errcode and
 * WeChat's rid. Up while a valid token is kept. Unknown before the first token (logins
 * need none) and while fetches fail for a while: WeChat being slow or unreachable is not
 * this instance's fault, and taking every instance out of rotation together would not
 * help. While WeChat rejects the token and no forced refresh is possible, up with the
 * reason and when it ends. The token itself is never shown.
 */
final class WeChatMiniAppHealthIndicator implements HealthIndicator {

	private final ObservableAccessTokenProvider accessTokens;

	WeChatMiniAppHealthIndicator(ObservableAccessTokenProvider accessTokens) {
		this.accessTokens = accessTokens;
	}

	@Override
	public Health health() {
		AccessTokenStatus status;
		try {
			status = this.accessTokens.status();
		}
		catch (WeChatMiniAppException ex) {
			// The store has its own health indicator (Redis): not this one's to report
			// down.
			return Health.unknown()
				.withDetail("accessToken", "store unavailable")
				.withDetail("error", ex.getMessage())
				.build();
		}
		AccessTokenStatus.Failure failure = status.lastFailure();
		if (failure != null && failure.refusal()) {
			Health.Builder health = Health.down()
				.withDetail("accessToken", "refused by WeChat")
				.withDetail("errcode", failure.errcode())
				.withDetail("error", failure.message())
				.withDetail("retryAt", failure.retryAt().toString());
			return ((failure.rid() != null) ? health.withDetail("rid", failure.rid()) : health).build();
		}
		Health.Builder health;
		if (status.hasUsableToken()) {
			health = Health.up()
				.withDetail("accessToken",
						(status.forcedRefreshRefusal() != null)
								? "rejected by WeChat, kept while no forced refresh is possible" : "valid")
				.withDetail("expiresAt", status.expiresAt().toString());
			if (status.forcedRefreshRefusal() != null) {
				// Not down: the token WeChat hands out still serves the calls it accepts,
				// and this ends by itself.
				health.withDetail("forcedRefresh", status.forcedRefreshRefusal().name())
					.withDetail("forcedRefreshRetryAt", status.forcedRefreshRetryAt().toString());
			}
			if (failure != null) {
				health.withDetail("lastRefreshFailure", failure.message());
			}
			return health.build();
		}
		if (failure != null) {
			return Health.unknown()
				.withDetail("accessToken", "none valid, fetching failed")
				.withDetail("error", failure.message())
				.withDetail("retryAt", failure.retryAt().toString())
				.build();
		}
		return Health.unknown().withDetail("accessToken", "not fetched yet").build();
	}

}
