package io.github.wechatminiapp.autoconfigure;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.test.SandboxUser;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.token.AccessTokenUnavailableException;
import io.github.wechatminiapp.token.CachingAccessTokenProvider;
import io.github.wechatminiapp.token.InMemoryAccessTokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WeChatMiniAppHealthIndicatorTests {

	private final WeChatSandbox sandbox = WeChatSandbox.start();

	private final WeChatMiniAppClient client = new WeChatMiniAppClient(RestClient.builder()
		.baseUrl(this.sandbox.baseUrl())
		.requestFactory(new JdkClientHttpRequestFactory(HttpClient.newHttpClient()))
		.build(), this.sandbox.appId(), this.sandbox.appSecret(), new RetrySettings(1, Duration.ZERO, Duration.ZERO, 1));

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	@Test
	void whileNoForcedRefreshIsPossibleHealthIsUpWithTheReasonAndWhenItEnds() {
		CachingAccessTokenProvider tokens = new CachingAccessTokenProvider(this.client, new InMemoryAccessTokenStore(),
				true, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(30), 0, Clock.systemUTC());
		WeChatMiniAppHealthIndicator indicator = new WeChatMiniAppHealthIndicator(tokens, Clock.systemUTC());
		String token = tokens.getAccessToken();
		assertThat(indicator.health().getDetails()).containsEntry("accessToken", "valid")
			.doesNotContainKey("forcedRefresh");
		this.sandbox.rejectStableToken();
		SandboxUser user = this.sandbox.createUser();
		String code = this.sandbox.phoneCode(user);
		AccessTokenUnavailableException refusal = org.assertj.core.api.Assertions
			.catchThrowableOfType(AccessTokenUnavailableException.class,
					() -> tokens.execute((accessToken) -> this.client.getUserPhoneNumber(accessToken, code)));
		assertThat(refusal).isNotNull();
		Health health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails())
			.containsEntry("accessToken", "rejected by WeChat, kept while no forced refresh is possible")
			.containsEntry("forcedRefresh", "DAILY_LIMIT_REACHED")
			.containsEntry("forcedRefreshRetryAfter", refusal.retryAfter().toString())
			.containsKey("expiresAt");
		assertThat(health.getDetails().toString()).doesNotContain(token).doesNotContain(this.sandbox.appSecret());
	}

	@Test
	void aRefusalWithoutAUsableTokenIsNotReportedUp() {
		CachingAccessTokenProvider tokens = new CachingAccessTokenProvider(this.client, new InMemoryAccessTokenStore(),
				true, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(30), 0, Clock.systemUTC());
		tokens.getAccessToken();
		this.sandbox.rejectStableToken();
		String code = this.sandbox.phoneCode(this.sandbox.createUser());
		assertThatExceptionOfType(AccessTokenUnavailableException.class)
			.isThrownBy(() -> tokens.execute((accessToken) -> this.client.getUserPhoneNumber(accessToken, code)));
		// Seen from a clock past the token's expiry.
		WeChatMiniAppHealthIndicator later = new WeChatMiniAppHealthIndicator(tokens,
				Clock.offset(Clock.systemUTC(), Duration.ofHours(3)));
		assertThat(later.health().getDetails()).doesNotContainKey("forcedRefresh");
	}

}
