package io.github.wechatminiapp.autoconfigure;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import io.github.wechatminiapp.StoreAccessException;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.test.Fault;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.token.AccessTokenStore;
import io.github.wechatminiapp.token.AccessTokenUnavailableException;
import io.github.wechatminiapp.token.CachedAccessToken;
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

	private final WeChatMiniAppClient client = new WeChatMiniAppClient(
			RestClient.builder()
				.baseUrl(this.sandbox.baseUrl())
				.requestFactory(new JdkClientHttpRequestFactory(HttpClient.newHttpClient()))
				.build(),
			this.sandbox.appId(), this.sandbox.appSecret(), new RetrySettings(1, Duration.ZERO, Duration.ZERO, 1));

	private final ShiftedClock clock = new ShiftedClock();

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	private CachingAccessTokenProvider provider(AccessTokenStore store) {
		CachingAccessTokenProvider tokens = new CachingAccessTokenProvider(this.client, store);
		tokens.setForcedRefreshesPerDay(0);
		tokens.setClock(this.clock);
		return tokens;
	}

	@Test
	void aTokenNeverFetchedIsUnknownNotDown() {
		Health health = new WeChatMiniAppHealthIndicator(provider(new InMemoryAccessTokenStore())).health();
		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).containsEntry("accessToken", "not fetched yet");
		assertThat(this.sandbox.totalRequestCount()).isZero();
	}

	@Test
	void aValidTokenIsUpWithItsExpiryAndNeverShown() {
		CachingAccessTokenProvider tokens = provider(new InMemoryAccessTokenStore());
		String token = tokens.getAccessToken();
		Health health = new WeChatMiniAppHealthIndicator(tokens).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("accessToken", "valid").containsKey("expiresAt");
		assertThat(health.getDetails()).containsOnlyKeys("accessToken", "expiresAt");
		assertThat(health.getDetails().toString()).doesNotContain(token).doesNotContain(this.sandbox.appSecret());
	}

	@Test
	void whileNoForcedRefreshIsPossibleHealthIsUpWithTheReasonAndWhenItEnds() {
		CachingAccessTokenProvider tokens = provider(new InMemoryAccessTokenStore());
		WeChatMiniAppHealthIndicator indicator = new WeChatMiniAppHealthIndicator(tokens);
		String token = tokens.getAccessToken();
		this.sandbox.rejectStableToken();
		WeChatSandboxUser user = this.sandbox.createUser();
		String code = this.sandbox.phoneCode(user);
		assertThatExceptionOfType(AccessTokenUnavailableException.class)
			.isThrownBy(() -> tokens.execute((accessToken) -> this.client.getUserPhoneNumber(accessToken, code)));
		Health health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails())
			.containsEntry("accessToken", "rejected by WeChat, kept while no forced refresh is possible")
			.containsEntry("forcedRefresh", "DAILY_LIMIT_REACHED")
			.containsEntry("forcedRefreshRetryAt", tokens.status().forcedRefreshRetryAt().toString())
			.containsKey("expiresAt");
		assertThat(health.getDetails().toString()).doesNotContain(token).doesNotContain(this.sandbox.appSecret());
		// Past the token's expiry, no refusal is reported for a token that no longer
		// serves.
		this.clock.shift(Duration.ofHours(3));
		assertThat(indicator.health().getDetails()).doesNotContainKey("forcedRefresh");
	}

	@Test
	void fetchesFailingForAWhileAreUnknownNotDown() {
		CachingAccessTokenProvider tokens = provider(new InMemoryAccessTokenStore());
		this.sandbox.startOutage(WeChatEndpoint.STABLE_TOKEN, Fault.httpStatus(503), Duration.ofMinutes(1));
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(tokens::getAccessToken);
		Health health = new WeChatMiniAppHealthIndicator(tokens).health();
		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).containsEntry("accessToken", "none valid, fetching failed")
			.containsKeys("error", "retryAt");
		assertThat((String) health.getDetails().get("error")).contains("503");
	}

	@Test
	void aConfigurationRefusalIsDownWithTheErrcodeAndRid() {
		CachingAccessTokenProvider tokens = provider(new InMemoryAccessTokenStore());
		this.sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN,
				Fault.errcode(89503, "invalid ip 127.0.0.1, rid: 6789abcd-0011"));
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(tokens::getAccessToken);
		Health health = new WeChatMiniAppHealthIndicator(tokens).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("accessToken", "refused by WeChat")
			.containsEntry("errcode", 89503)
			.containsKey("retryAt")
			.containsKey("rid");
		assertThat(health.getDetails().toString()).doesNotContain(this.sandbox.appSecret());
	}

	@Test
	void aRefusalWhileTheTokenStillServesIsDownToo() {
		CachingAccessTokenProvider tokens = provider(new InMemoryAccessTokenStore());
		tokens.getAccessToken();
		// Within the refresh margin: the refresh ahead of expiry is refused, the token
		// still serves.
		this.clock.shift(Duration.ofSeconds(7200 - 60));
		this.sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(40164));
		tokens.getAccessToken();
		Health health = new WeChatMiniAppHealthIndicator(tokens).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("errcode", 40164);
	}

	@Test
	void anUnreadableStoreIsUnknownNotDown() {
		AccessTokenStore broken = new AccessTokenStore() {

			@Override
			public Optional<CachedAccessToken> get() {
				throw new StoreAccessException("redis", "the access token", new IllegalStateException("down"));
			}

			@Override
			public void put(CachedAccessToken token) {
			}

			@Override
			public void evict(String value) {
			}

		};
		Health health = new WeChatMiniAppHealthIndicator(provider(broken)).health();
		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).containsEntry("accessToken", "store unavailable").containsKey("error");
	}

	/** The system clock, shifted by a settable offset. */
	static final class ShiftedClock extends Clock {

		private volatile Duration offset = Duration.ZERO;

		void shift(Duration duration) {
			this.offset = this.offset.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return Instant.now().plus(this.offset);
		}

	}

}
