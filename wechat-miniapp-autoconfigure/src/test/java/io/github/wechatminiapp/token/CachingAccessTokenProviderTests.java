package io.github.wechatminiapp.token;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.test.Fault;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.Api;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CachingAccessTokenProviderTests {

	private static final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));

	private static final WeChatSandbox sandbox = WeChatSandbox.builder()
		.accessTokenTtl(Duration.ofSeconds(7200))
		.clock(clock)
		.start();

	private final WeChatMiniAppClient client = new WeChatMiniAppClient(
			RestClient.builder()
				.baseUrl(sandbox.baseUrl())
				.requestFactory(new JdkClientHttpRequestFactory(HttpClient.newHttpClient()))
				.build(),
			sandbox.appId(), sandbox.appSecret(), new RetrySettings(1, Duration.ZERO, Duration.ZERO, 1));

	private final InMemoryAccessTokenStore store = new InMemoryAccessTokenStore();

	@AfterAll
	static void stopSandbox() {
		sandbox.close();
	}

	@BeforeEach
	void reset() {
		sandbox.clearFaults();
		sandbox.resetCounts();
		sandbox.revokeAccessTokens();
	}

	private CachingAccessTokenProvider provider(boolean stable) {
		return new CachingAccessTokenProvider(this.client, this.store, stable, Duration.ofMinutes(5), clock);
	}

	@Test
	void fetchesOnceAndServesFromTheCache() {
		CachingAccessTokenProvider provider = provider(true);
		String token = provider.getAccessToken();
		assertThat(provider.getAccessToken()).isEqualTo(token);
		clock.advance(Duration.ofMinutes(60));
		assertThat(provider.getAccessToken()).isEqualTo(token);
		assertThat(sandbox.requestCount(Api.STABLE_TOKEN)).isEqualTo(1);
	}

	@Test
	void legacyEndpointWhenStableIsOff() {
		provider(false).getAccessToken();
		assertThat(sandbox.requestCount(Api.TOKEN)).isEqualTo(1);
		assertThat(sandbox.requestCount(Api.STABLE_TOKEN)).isZero();
	}

	@Test
	void refreshesAheadOfExpiryAndFetchesAfterExpiry() {
		CachingAccessTokenProvider provider = provider(false);
		String first = provider.getAccessToken();
		clock.advance(Duration.ofSeconds(7200 - 299));
		String refreshed = provider.getAccessToken();
		assertThat(refreshed).isNotEqualTo(first);
		assertThat(sandbox.requestCount(Api.TOKEN)).isEqualTo(2);
		clock.advance(Duration.ofSeconds(7201));
		assertThat(provider.getAccessToken()).isNotEqualTo(refreshed);
		assertThat(sandbox.requestCount(Api.TOKEN)).isEqualTo(3);
	}

	@Test
	void failedRefreshAheadKeepsTheStillValidToken() {
		CachingAccessTokenProvider provider = provider(true);
		String token = provider.getAccessToken();
		clock.advance(Duration.ofSeconds(7200 - 60));
		sandbox.enqueueFault(Api.STABLE_TOKEN, Fault.httpStatus(503));
		assertThat(provider.getAccessToken()).isEqualTo(token);
	}

	@Test
	void failedFetchWithoutAUsableTokenFails() {
		sandbox.enqueueFault(Api.STABLE_TOKEN, Fault.errcode(40164));
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> provider(true).getAccessToken())
			.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(40164));
	}

	@Test
	void invalidateIgnoresATokenThatIsNoLongerCached() {
		CachingAccessTokenProvider provider = provider(true);
		String token = provider.getAccessToken();
		provider.invalidate("some-older-token");
		assertThat(provider.getAccessToken()).isEqualTo(token);
		assertThat(sandbox.requestCount(Api.STABLE_TOKEN)).isEqualTo(1);
	}

	@Test
	void stableTokenHandedBackAfterRejectionIsForcedToRefresh() {
		CachingAccessTokenProvider provider = provider(true);
		String token = provider.getAccessToken();
		// WeChat still considers the token current, yet a call reported it rejected.
		provider.invalidate(token);
		String replaced = provider.getAccessToken();
		assertThat(replaced).isNotEqualTo(token);
		assertThat(sandbox.requestCount(Api.STABLE_TOKEN)).isEqualTo(3);
	}

	@Test
	void executeRetriesOnceWithANewTokenOn42001() {
		CachingAccessTokenProvider provider = provider(false);
		String first = provider.getAccessToken();
		int[] calls = new int[1];
		String result = provider.execute((token) -> {
			calls[0]++;
			if (token.equals(first)) {
				throw new WeChatApiException(io.github.wechatminiapp.client.WeChatApi.GET_USER_PHONE_NUMBER, 42001,
						"access_token expired");
			}
			return token;
		});
		assertThat(result).isNotEqualTo(first);
		assertThat(calls[0]).isEqualTo(2);
	}

	@Test
	void executeDoesNotRetryOtherErrors() {
		CachingAccessTokenProvider provider = provider(false);
		int[] calls = new int[1];
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> provider.execute((token) -> {
			calls[0]++;
			throw new WeChatApiException(io.github.wechatminiapp.client.WeChatApi.GET_USER_PHONE_NUMBER, 40029,
					"invalid code");
		}));
		assertThat(calls[0]).isEqualTo(1);
	}

	static final class MutableClock extends Clock {

		private volatile Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
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
			return this.now;
		}

	}

}
