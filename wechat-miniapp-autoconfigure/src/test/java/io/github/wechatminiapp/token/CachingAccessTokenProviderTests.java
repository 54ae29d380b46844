package io.github.wechatminiapp.token;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.test.Fault;
import io.github.wechatminiapp.test.MutableClock;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CachingAccessTokenProviderTests {

	private static final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension(
			WeChatSandbox.builder().accessTokenTtl(Duration.ofSeconds(7200)).clock(clock));

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private final WeChatMiniAppClient client = new WeChatMiniAppClient(RestClient.builder()
		.baseUrl(sandbox.baseUrl())
		.requestFactory(new JdkClientHttpRequestFactory(HttpClient.newHttpClient()))
		.build(), sandbox.appId(), sandbox.appSecret(), new RetrySettings(1, Duration.ZERO, Duration.ZERO, 1));

	private final InMemoryAccessTokenStore store = new InMemoryAccessTokenStore();

	@BeforeEach
	void reset() {
		// A new day for the sandbox's forced-refresh window and quota.
		clock.advance(Duration.ofDays(1));
		sandbox.clearFaults();
		sandbox.resetCounts();
		sandbox.revokeAccessTokens();
	}

	private CachingAccessTokenProvider provider(boolean stable) {
		return provider(this.client, this.store, stable, Duration.ofMinutes(5), clock);
	}

	private static CachingAccessTokenProvider provider(WeChatMiniAppClient client, AccessTokenStore store,
			boolean stable, Duration refreshBefore, Clock clock) {
		CachingAccessTokenProvider provider = new CachingAccessTokenProvider(client, store);
		provider.setStableToken(stable);
		provider.setRefreshBefore(refreshBefore);
		provider.setClock(clock);
		return provider;
	}

	private static CachingAccessTokenProvider provider(WeChatMiniAppClient client, AccessTokenStore store,
			boolean stable, Duration refreshBefore, Duration lockWait, Clock clock) {
		CachingAccessTokenProvider provider = provider(client, store, stable, refreshBefore, clock);
		provider.setLockWait(lockWait);
		return provider;
	}

	private static CachingAccessTokenProvider provider(WeChatMiniAppClient client, AccessTokenStore store,
			boolean stable, Duration refreshBefore, Duration lockWait, Duration lockLease, int forcedRefreshesPerDay,
			Clock clock) {
		CachingAccessTokenProvider provider = provider(client, store, stable, refreshBefore, lockWait, clock);
		provider.setLockLease(lockLease);
		provider.setForcedRefreshesPerDay(forcedRefreshesPerDay);
		return provider;
	}

	@Test
	void fetchesOnceAndServesFromTheCache() {
		CachingAccessTokenProvider provider = provider(true);
		String token = provider.getAccessToken();
		assertThat(provider.getAccessToken()).isEqualTo(token);
		clock.advance(Duration.ofMinutes(60));
		assertThat(provider.getAccessToken()).isEqualTo(token);
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(1);
	}

	@Test
	void legacyEndpointWhenStableIsOff() {
		provider(false).getAccessToken();
		assertThat(sandbox.requestCount(WeChatEndpoint.TOKEN)).isEqualTo(1);
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isZero();
	}

	@Test
	void refreshesAheadOfExpiryAndFetchesAfterExpiry() {
		CachingAccessTokenProvider provider = provider(false);
		String first = provider.getAccessToken();
		clock.advance(Duration.ofSeconds(7200 - 299));
		String refreshed = provider.getAccessToken();
		assertThat(refreshed).isNotEqualTo(first);
		assertThat(sandbox.requestCount(WeChatEndpoint.TOKEN)).isEqualTo(2);
		clock.advance(Duration.ofSeconds(7201));
		assertThat(provider.getAccessToken()).isNotEqualTo(refreshed);
		assertThat(sandbox.requestCount(WeChatEndpoint.TOKEN)).isEqualTo(3);
	}

	@Test
	void failedRefreshAheadKeepsTheStillValidToken() {
		CachingAccessTokenProvider provider = provider(false);
		String token = provider.getAccessToken();
		clock.advance(Duration.ofSeconds(7200 - 60));
		sandbox.enqueueFault(WeChatEndpoint.TOKEN, Fault.httpStatus(503));
		assertThat(provider.getAccessToken()).isEqualTo(token);
		assertThat(sandbox.requestCount(WeChatEndpoint.TOKEN)).isEqualTo(2);
		assertThat(provider.status().failure()).hasValueSatisfying((failure) -> {
			assertThat(failure.message()).contains("503");
			assertThat(failure.refusal()).isFalse();
			assertThat(failure.retryAt()).isEqualTo(clock.instant().plusSeconds(1));
		});
		// Within the backoff the current token serves without another try.
		assertThat(provider.getAccessToken()).isEqualTo(token);
		assertThat(sandbox.requestCount(WeChatEndpoint.TOKEN)).isEqualTo(2);
		// Past it, the next call refreshes.
		clock.advance(Duration.ofSeconds(1));
		assertThat(provider.getAccessToken()).isNotEqualTo(token);
		assertThat(sandbox.requestCount(WeChatEndpoint.TOKEN)).isEqualTo(3);
		assertThat(provider.status().failure()).isEmpty();
	}

	@Test
	void refreshAheadOfTheStableTokenKeepsItWithAShorterMargin() {
		// A margin wider than WeChat's own renewal window (its last 5 minutes), so WeChat
		// answers the same token.
		CachingAccessTokenProvider provider = provider(this.client, this.store, true, Duration.ofMinutes(10), clock);
		String token = provider.getAccessToken();
		clock.advance(Duration.ofSeconds(7200 - 599));
		assertThat(provider.getAccessToken()).isEqualTo(token);
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(2);
		// 599 s left: the next refresh is due half-way, not on every call.
		assertThat(provider.cachedToken()).hasValueSatisfying(
				(cached) -> assertThat(cached.refreshAt()).isEqualTo(clock.instant().plusMillis(299_500)));
		assertThat(provider.getAccessToken()).isEqualTo(token);
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(2);
	}

	@Test
	void refreshAheadIsLeftToTheInstanceHoldingTheStoreLock() {
		CachingAccessTokenProvider provider = provider(false);
		String token = provider.getAccessToken();
		clock.advance(Duration.ofSeconds(7200 - 60));
		LockedStore locked = new LockedStore(this.store);
		CachingAccessTokenProvider other = provider(this.client, locked, false, Duration.ofMinutes(5), clock);
		assertThat(other.getAccessToken()).isEqualTo(token);
		assertThat(sandbox.requestCount(WeChatEndpoint.TOKEN)).isEqualTo(1);
		assertThat(locked.lockAttempts).isEqualTo(1);
	}

	@Test
	void refreshAheadFindsTheTokenAnotherInstanceJustRefreshed() {
		CachingAccessTokenProvider provider = provider(false);
		String token = provider.getAccessToken();
		clock.advance(Duration.ofSeconds(7200 - 60));
		CachedAccessToken fresh = new CachedAccessToken("refreshed-elsewhere", clock.instant().plusSeconds(3600),
				clock.instant().plusSeconds(7200));
		// Between this instance's read and its lock, another instance wrote a new token.
		RacingStore racing = new RacingStore(this.store, fresh);
		CachingAccessTokenProvider late = provider(this.client, racing, false, Duration.ofMinutes(5), clock);
		assertThat(late.getAccessToken()).isEqualTo("refreshed-elsewhere").isNotEqualTo(token);
		assertThat(sandbox.requestCount(WeChatEndpoint.TOKEN)).isEqualTo(1);
	}

	@Test
	void refreshAheadWhileAnotherThreadRefreshesServesTheCurrentToken() throws Exception {
		CachingAccessTokenProvider provider = provider(false);
		String token = provider.getAccessToken();
		clock.advance(Duration.ofSeconds(7200 - 60));
		sandbox.enqueueFault(WeChatEndpoint.TOKEN, Fault.delay(Duration.ofMillis(800)));
		java.util.concurrent.CompletableFuture<String> refreshing = java.util.concurrent.CompletableFuture
			.supplyAsync(provider::getAccessToken);
		while (sandbox.requestCount(WeChatEndpoint.TOKEN) < 2) {
			Thread.sleep(5);
		}
		assertThat(provider.getAccessToken()).isEqualTo(token);
		assertThat(refreshing.isDone()).isFalse();
		assertThat(refreshing.get()).isNotEqualTo(token);
		assertThat(sandbox.requestCount(WeChatEndpoint.TOKEN)).isEqualTo(2);
	}

	@Test
	void refreshAheadThatFailsAfterTheTokenExpiredFails() throws Exception {
		WeChatMiniAppClient impatient = new WeChatMiniAppClient(
				RestClient.builder()
					.baseUrl(sandbox.baseUrl())
					.requestFactory(timingOut(Duration.ofMillis(400)))
					.build(),
				sandbox.appId(), sandbox.appSecret(), new RetrySettings(1, Duration.ZERO, Duration.ZERO, 1));
		CachingAccessTokenProvider provider = provider(impatient, this.store, false, Duration.ofMinutes(5), clock);
		provider.getAccessToken();
		clock.advance(Duration.ofSeconds(7200 - 1));
		sandbox.enqueueFault(WeChatEndpoint.TOKEN, Fault.delay(Duration.ofSeconds(2)));
		Thread expiring = new Thread(() -> {
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			clock.advance(Duration.ofSeconds(2));
		});
		expiring.start();
		assertThatExceptionOfType(io.github.wechatminiapp.client.WeChatCommunicationException.class)
			.isThrownBy(provider::getAccessToken);
		expiring.join();
	}

	@Test
	void aFailureWithoutAMessageIsReportedByItsType() {
		WeChatMiniAppClient broken = new WeChatMiniAppClient(
				RestClient.builder().baseUrl(sandbox.baseUrl()).requestInterceptor((request, body, execution) -> {
					throw new IllegalStateException();
				}).build(), sandbox.appId(), sandbox.appSecret(),
				new RetrySettings(1, Duration.ZERO, Duration.ZERO, 1));
		CachingAccessTokenProvider provider = provider(broken, this.store, false, Duration.ofMinutes(5), clock);
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(provider::getAccessToken);
		AccessTokenStatus.Failure failure = provider.status().lastFailure();
		assertThat(failure).isNotNull();
		assertThat(failure.message()).isEqualTo("IllegalStateException");
	}

	private static JdkClientHttpRequestFactory timingOut(Duration readTimeout) {
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(HttpClient.newHttpClient());
		factory.setReadTimeout(readTimeout);
		return factory;
	}

	@Test
	void lockLeaseCoversANormalAndAForcedFetchWithEveryRetryTimingOut() {
		// 3 attempts of 2 s + 5 s, 200 ms and 400 ms between them: 21.6 s a fetch, two
		// fetches, 5 s for the store.
		assertThat(CachingAccessTokenProvider.lockLease(Duration.ofSeconds(2), Duration.ofSeconds(5),
				RetrySettings.DEFAULT))
			.isEqualTo(Duration.ofMillis(48_200));
		assertThat(CachingAccessTokenProvider.lockLease(Duration.ofSeconds(1), Duration.ofSeconds(1),
				new RetrySettings(1, Duration.ofSeconds(9), Duration.ofSeconds(9), 1)))
			.isEqualTo(Duration.ofSeconds(9));
	}

	@Test
	void theLockIsTakenWithTheGivenLease() {
		LeaseRecordingStore recording = new LeaseRecordingStore();
		provider(this.client, recording, true, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(77), 10,
				clock)
			.getAccessToken();
		assertThat(recording.leases).containsExactly(Duration.ofSeconds(77));
		LeaseRecordingStore defaults = new LeaseRecordingStore();
		provider(this.client, defaults, true, Duration.ofMinutes(5), clock).getAccessToken();
		assertThat(defaults.leases).containsExactly(Duration.ofSeconds(30));
	}

	@Test
	void rejectsANonPositiveLeaseAndANegativeBudget() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> provider(this.client, this.store,
				true, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ZERO, 10, clock));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> provider(this.client, this.store,
				true, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(-1), 10, clock));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> provider(this.client, this.store,
				true, Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(1), -1, clock));
		assertThat(provider(this.client, this.store, true, Duration.ofMinutes(5), Duration.ofSeconds(5),
				Duration.ofMillis(1), 0, clock))
			.isNotNull();
	}

	@Test
	void withoutATokenTheLockHolderUsesTheTokenWrittenJustBeforeItsLock() {
		CachedAccessToken fresh = new CachedAccessToken("written-elsewhere", clock.instant().plusSeconds(3600),
				clock.instant().plusSeconds(7200));
		CachingAccessTokenProvider late = provider(this.client, new RacingStore(this.store, fresh), true,
				Duration.ofMinutes(5), clock);
		assertThat(late.getAccessToken()).isEqualTo("written-elsewhere");
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isZero();
	}

	@Test
	void withoutATokenAWaiterUsesTheTokenTheLockHolderWrote() {
		CachedAccessToken fresh = new CachedAccessToken("written-by-holder", clock.instant().plusSeconds(3600),
				clock.instant().plusSeconds(7200));
		LockedStore locked = new LockedStore(this.store) {

			@Override
			public boolean tryLock(String owner, Duration leaseTime) {
				// The holder finishes while this instance waits.
				put(fresh);
				return super.tryLock(owner, leaseTime);
			}

		};
		CachingAccessTokenProvider waiting = provider(this.client, locked, true, Duration.ofMinutes(5),
				Duration.ofSeconds(5), clock);
		assertThat(waiting.getAccessToken()).isEqualTo("written-by-holder");
		assertThat(locked.lockAttempts).isEqualTo(1);
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isZero();
	}

	@Test
	void withoutATokenAWaiterFetchesItselfOnceTheLockWaitIsOver() {
		LockedStore locked = new LockedStore(this.store);
		CachingAccessTokenProvider waiting = provider(this.client, locked, true, Duration.ofMinutes(5), Duration.ZERO,
				clock);
		assertThat(waiting.getAccessToken()).isNotEmpty();
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(1);
		assertThat(locked.lockAttempts).isEqualTo(1);
		assertThat(this.store.get()).isPresent();
	}

	@Test
	void theInterfacesExecuteRetriesOnceAfterARejectedToken() {
		java.util.List<String> invalidated = new java.util.ArrayList<>();
		String[] tokens = { "first", "second" };
		int[] handedOut = new int[1];
		AccessTokenProvider provider = new AccessTokenProvider() {

			@Override
			public String getAccessToken() {
				return tokens[handedOut[0]++];
			}

			@Override
			public void invalidate(String rejectedToken) {
				invalidated.add(rejectedToken);
			}

		};
		assertThat(provider.<String>execute((token) -> "first answer with " + token))
			.isEqualTo("first answer with first");
		handedOut[0] = 0;
		assertThat(provider.<String>execute((token) -> {
			if (token.equals("first")) {
				throw new WeChatApiException(io.github.wechatminiapp.client.WeChatApi.GET_USER_PHONE_NUMBER, 40001,
						"invalid credential");
			}
			return "answer with " + token;
		})).isEqualTo("answer with second");
		assertThat(invalidated).containsExactly("first");
		handedOut[0] = 0;
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> provider.execute((token) -> {
			throw new WeChatApiException(io.github.wechatminiapp.client.WeChatApi.GET_USER_PHONE_NUMBER, 40029,
					"invalid code");
		}));
		assertThat(invalidated).containsExactly("first");
	}

	static class DelegatingStore implements AccessTokenStore, AccessTokenLock {

		final AccessTokenStore delegate;

		DelegatingStore(AccessTokenStore delegate) {
			this.delegate = delegate;
		}

		@Override
		public java.util.Optional<CachedAccessToken> get() {
			return this.delegate.get();
		}

		@Override
		public void put(CachedAccessToken token) {
			this.delegate.put(token);
		}

		@Override
		public void evict(String value) {
			this.delegate.evict(value);
		}

		@Override
		public boolean tryLock(String owner, Duration leaseTime) {
			return true;
		}

		@Override
		public void unlock(String owner) {
		}

	}

	/** Another instance holds the refresh lock. */
	static class LockedStore extends DelegatingStore {

		int lockAttempts;

		LockedStore(AccessTokenStore delegate) {
			super(delegate);
		}

		@Override
		public boolean tryLock(String owner, Duration leaseTime) {
			this.lockAttempts++;
			return false;
		}

	}

	/** Another instance writes a new token just before this one takes the lock. */
	static final class RacingStore extends DelegatingStore {

		private final CachedAccessToken written;

		RacingStore(AccessTokenStore delegate, CachedAccessToken written) {
			super(delegate);
			this.written = written;
		}

		@Override
		public boolean tryLock(String owner, Duration leaseTime) {
			put(this.written);
			return true;
		}

	}

	static final class LeaseRecordingStore extends DelegatingStore {

		final java.util.List<Duration> leases = new java.util.ArrayList<>();

		LeaseRecordingStore() {
			super(new InMemoryAccessTokenStore());
		}

		@Override
		public boolean tryLock(String owner, Duration leaseTime) {
			this.leases.add(leaseTime);
			return true;
		}

	}

	@Test
	void failedFetchWithoutAUsableTokenFails() {
		sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(40164));
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> provider(true).getAccessToken())
			.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(40164));
	}

	@Test
	void invalidateIgnoresATokenThatIsNoLongerCached() {
		CachingAccessTokenProvider provider = provider(true);
		String token = provider.getAccessToken();
		provider.invalidate("some-older-token");
		assertThat(provider.getAccessToken()).isEqualTo(token);
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(1);
	}

	@Test
	void stableTokenHandedBackAfterRejectionIsForcedToRefresh() {
		CachingAccessTokenProvider provider = provider(true);
		String token = provider.getAccessToken();
		// WeChat still considers the token current, yet a call reported it rejected.
		provider.invalidate(token);
		String replaced = provider.getAccessToken();
		assertThat(replaced).isNotEqualTo(token);
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(3);
	}

	private String phoneCall(CachingAccessTokenProvider provider) {
		io.github.wechatminiapp.test.WeChatSandboxUser user = sandbox.createUser();
		String code = sandbox.phoneCode(user);
		return provider.execute((token) -> this.client.getUserPhoneNumber(token, code)).purePhoneNumber();
	}

	@Test
	void aForcedRefreshThatFailsFallsBackToTheHandedOutTokenAndFailsFastUntilRetryAfter() {
		CachingAccessTokenProvider provider = provider(true);
		String token = provider.getAccessToken();
		sandbox.rejectStableToken();
		sandbox.resetCounts();
		// The normal fetch passes; the forced one fails.
		sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.delay(Duration.ofMillis(1)));
		sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.httpStatus(503));
		assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(() -> phoneCall(provider))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo(AccessTokenUnavailableException.Reason.REFRESH_FAILED);
				assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(30));
				assertThat(ex.getCause())
					.isInstanceOf(io.github.wechatminiapp.client.WeChatCommunicationException.class);
				assertThat(ex.getMessage()).doesNotContain(token);
			});
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(2);
		assertThat(provider.cachedToken()).map(CachedAccessToken::value).contains(token);
		assertThat(provider.status().forcedRefreshRefusal())
			.isEqualTo(AccessTokenUnavailableException.Reason.REFRESH_FAILED);
		assertThat(provider.status().forcedRefreshRetryAt()).isEqualTo(clock.instant().plusSeconds(30));
		// The normal fetch worked: not a failed fetch, no backoff.
		assertThat(provider.status().failure()).isEmpty();
		for (int i = 0; i < 5; i++) {
			assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(() -> phoneCall(provider));
		}
		// The forced call that failed never reached the token logic.
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(2);
		assertThat(sandbox.forcedRefreshCount()).isZero();
		clock.advance(Duration.ofSeconds(29));
		assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(() -> phoneCall(provider));
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(2);
		clock.advance(Duration.ofSeconds(1));
		assertThat(provider.status().forcedRefreshRefusal()).isNull();
		assertThat(phoneCall(provider)).isNotEmpty();
		assertThat(sandbox.forcedRefreshCount()).isEqualTo(1);
		assertThat(provider.getAccessToken()).isNotEqualTo(token);
		assertThat(provider.status().forcedRefreshRefusal()).isNull();
	}

	@Test
	void oneWarningPerRefusalNotPerCall() {
		CachingAccessTokenProvider provider = provider(this.client, this.store, true, Duration.ofMinutes(5),
				Duration.ofSeconds(5), Duration.ofSeconds(30), 1, clock);
		String token = provider.getAccessToken();
		sandbox.rejectStableToken();
		phoneCall(provider);
		sandbox.rejectStableToken();
		int before = refusalWarnings();
		assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(() -> phoneCall(provider));
		String rejected = provider.cachedToken().orElseThrow().value();
		for (int i = 0; i < 3; i++) {
			// Another instance evicts the token: this one fetches again and meets the
			// same refusal.
			provider.invalidate(rejected);
			assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(() -> phoneCall(provider));
		}
		assertThat(refusalWarnings()).isEqualTo(before + 1);
		assertThat(io.github.wechatminiapp.test.RecordingAppender
			.linesContainingAny(java.util.List.of(token, rejected, sandbox.appSecret()))).isEmpty();
	}

	private static int refusalWarnings() {
		return (int) io.github.wechatminiapp.test.RecordingAppender.lines()
			.stream()
			.filter((line) -> line.contains("no forced refresh is possible before"))
			.count();
	}

	@Test
	void aForcedRefreshAnsweredWithTheSameTokenIsTooSoon() {
		CachingAccessTokenProvider provider = provider(true);
		provider.getAccessToken();
		// Someone outside this store's count forced a refresh a moment ago.
		String forcedElsewhere = this.client.fetchStableAccessToken(true).value();
		sandbox.rejectStableToken();
		// The cached token was revoked by that forced refresh: the retry gets the
		// rejected one.
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> phoneCall(provider))
			.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(40001));
		assertThat(provider.getAccessToken()).isEqualTo(forcedElsewhere);
		assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(() -> phoneCall(provider))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(AccessTokenUnavailableException.Reason.TOO_SOON));
		assertThat(sandbox.forcedRefreshCount()).isEqualTo(2);
		assertThat(provider.getAccessToken()).isEqualTo(forcedElsewhere);
	}

	@Test
	void aBudgetOfZeroNeverForces() {
		CachingAccessTokenProvider provider = provider(this.client, this.store, true, Duration.ofMinutes(5),
				Duration.ofSeconds(5), Duration.ofSeconds(30), 0, clock);
		provider.getAccessToken();
		sandbox.rejectStableToken();
		assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(() -> phoneCall(provider))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo(AccessTokenUnavailableException.Reason.DAILY_LIMIT_REACHED);
				assertThat(ex.retryAfter()).isPositive();
				assertThat(ex.getCause()).isNull();
			});
		assertThat(sandbox.forcedRefreshCount()).isZero();
	}

	@Test
	void aRefusalEndsWhenTheKeptTokenChanges() {
		CachingAccessTokenProvider provider = provider(this.client, this.store, true, Duration.ofMinutes(5),
				Duration.ofSeconds(5), Duration.ofSeconds(30), 0, clock);
		String token = provider.getAccessToken();
		sandbox.rejectStableToken();
		assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(() -> phoneCall(provider));
		assertThat(provider.status().forcedRefreshRefusal()).isNotNull();
		// The rejected token expires: WeChat's normal mode hands out a new one, which
		// works.
		clock.advance(Duration.ofSeconds(7200));
		assertThat(provider.getAccessToken()).isNotEqualTo(token);
		assertThat(provider.status().forcedRefreshRefusal()).isNull();
		assertThat(phoneCall(provider)).isNotEmpty();
		assertThat(sandbox.forcedRefreshCount()).isZero();
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
	void executeFetchesPastARejectedTokenThatOtherInstancesKeptAgain() {
		java.util.List<String> tokensUsed = new java.util.ArrayList<>();
		String rejected = racedByInstancesKeepingTheRejectedToken(3, tokensUsed);
		assertThat(tokensUsed).hasSize(2).first().isEqualTo(rejected);
		assertThat(tokensUsed.get(1)).isNotEqualTo(rejected);
		assertThat(sandbox.forcedRefreshCount()).isEqualTo(1);
	}

	@Test
	void executeGivesUpOnARejectedTokenKeptAgainMoreOftenThanThat() {
		java.util.List<String> tokensUsed = new java.util.ArrayList<>();
		assertThatExceptionOfType(WeChatApiException.class)
			.isThrownBy(() -> racedByInstancesKeepingTheRejectedToken(4, tokensUsed))
			.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(40001));
		assertThat(tokensUsed).hasSize(2).containsOnly(tokensUsed.get(0));
	}

	/**
	 * Other instances, which have not met the rejection yet, fetch the token WeChat still
	 * hands out and keep it, each right after this one evicted it.
	 * @param returns how many times the rejected token is kept again
	 * @param tokensUsed the tokens the call was made with
	 * @return the rejected token
	 */
	private String racedByInstancesKeepingTheRejectedToken(int returns, java.util.List<String> tokensUsed) {
		String rejected = provider(true).getAccessToken();
		sandbox.rejectStableToken();
		int[] left = { returns };
		AccessTokenStore racing = new PlainStore(this.store) {

			@Override
			public void evict(String value) {
				CachedAccessToken kept = get().orElseThrow();
				super.evict(value);
				if (value.equals(rejected) && left[0]-- > 0) {
					put(kept);
				}
			}

		};
		CachingAccessTokenProvider told = provider(this.client, racing, true, Duration.ofMinutes(5), clock);
		String code = sandbox.phoneCode(sandbox.createUser());
		String phone = told.execute((token) -> {
			tokensUsed.add(token);
			return this.client.getUserPhoneNumber(token, code).purePhoneNumber();
		});
		assertThat(phone).isNotEmpty();
		return rejected;
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

	@Test
	void transientFailuresBackOffGrowingAndCapped() {
		CachingAccessTokenProvider provider = provider(true);
		provider.setFailureBackoff(Duration.ofSeconds(1), Duration.ofSeconds(4));
		java.util.List<AccessTokenStatus.Failure> told = new java.util.concurrent.CopyOnWriteArrayList<>();
		provider.setFetchListener((appId, failure) -> {
			assertThat(appId).isEqualTo(sandbox.appId());
			told.add(failure);
		});
		sandbox.startOutage(WeChatEndpoint.STABLE_TOKEN, Fault.httpStatus(503), Duration.ofMinutes(1));
		try {
			assertThatExceptionOfType(io.github.wechatminiapp.client.WeChatCommunicationException.class)
				.isThrownBy(provider::getAccessToken);
			long[] backoffs = { 1, 2, 4, 4 };
			for (int i = 0; i < backoffs.length; i++) {
				assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(i + 1);
				assertThat(told).hasSize(i + 1);
				assertThat(told.get(i).consecutive()).isEqualTo(i + 1);
				assertThat(told.get(i).refusal()).isFalse();
				assertThat(told.get(i).errcode()).isNull();
				Duration backoff = Duration.ofSeconds(backoffs[i]);
				// Fails fast, without a request, until the backoff has passed.
				assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(provider::getAccessToken)
					.satisfies((ex) -> {
						assertThat(ex.reason()).isEqualTo(AccessTokenUnavailableException.Reason.FETCH_FAILED);
						assertThat(ex.retryAfter()).isEqualTo(backoff);
					});
				clock.advance(backoff.minusMillis(1));
				assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(provider::getAccessToken);
				assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(i + 1);
				clock.advance(Duration.ofMillis(1));
				if (i + 1 < backoffs.length) {
					assertThatExceptionOfType(io.github.wechatminiapp.client.WeChatCommunicationException.class)
						.isThrownBy(provider::getAccessToken);
				}
			}
		}
		finally {
			sandbox.endOutage(WeChatEndpoint.STABLE_TOKEN);
		}
		assertThat(provider.getAccessToken()).isNotEmpty();
		assertThat(provider.status().failure()).isEmpty();
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(5);
	}

	@Test
	void aConfigurationRefusalBacksOffLongWithOneErrorLine() {
		CachingAccessTokenProvider provider = provider(true);
		provider.setRefusalBackoff(Duration.ofMinutes(10));
		int before = refusalErrors();
		sandbox.startOutage(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(40013), Duration.ofMinutes(1));
		try {
			assertThatExceptionOfType(WeChatApiException.class).isThrownBy(provider::getAccessToken)
				.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(40013));
			assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(provider::getAccessToken)
				.satisfies((ex) -> {
					assertThat(ex.reason()).isEqualTo(AccessTokenUnavailableException.Reason.FETCH_REFUSED);
					assertThat(ex.retryAfter()).isEqualTo(Duration.ofMinutes(10));
				});
			assertThat(provider.status().failure()).hasValueSatisfying((failure) -> {
				assertThat(failure.refusal()).isTrue();
				assertThat(failure.errcode()).isEqualTo(40013);
				assertThat(failure.rid()).isNotBlank();
			});
			clock.advance(Duration.ofMinutes(10));
			assertThatExceptionOfType(WeChatApiException.class).isThrownBy(provider::getAccessToken);
			assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(2);
			// The same refusal again: still one ERROR line.
			assertThat(refusalErrors()).isEqualTo(before + 1);
		}
		finally {
			sandbox.endOutage(WeChatEndpoint.STABLE_TOKEN);
		}
	}

	@Test
	void aNewRefusalOrARefusalAfterTransientFailuresIsLoggedAgain() {
		CachingAccessTokenProvider provider = provider(true);
		provider.setRefusalBackoff(Duration.ofSeconds(10));
		provider.setFailureBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1));
		int before = refusalErrors();
		sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(40013));
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(provider::getAccessToken);
		clock.advance(Duration.ofSeconds(10));
		sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(40164));
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(provider::getAccessToken);
		assertThat(refusalErrors()).isEqualTo(before + 2);
		clock.advance(Duration.ofSeconds(10));
		sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.httpStatus(503));
		assertThatExceptionOfType(io.github.wechatminiapp.client.WeChatCommunicationException.class)
			.isThrownBy(provider::getAccessToken);
		assertThat(provider.status().failure()).hasValueSatisfying((failure) -> {
			assertThat(failure.consecutive()).isEqualTo(3);
			assertThat(failure.retryAt()).isEqualTo(clock.instant().plusSeconds(1));
		});
		clock.advance(Duration.ofSeconds(1));
		sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(40164));
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(provider::getAccessToken);
		assertThat(refusalErrors()).isEqualTo(before + 3);
		// A success starts the count again.
		clock.advance(Duration.ofSeconds(10));
		assertThat(provider.getAccessToken()).isNotEmpty();
		provider.invalidate(provider.getAccessToken());
		clock.advance(Duration.ofHours(3));
		sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.httpStatus(503));
		assertThatExceptionOfType(io.github.wechatminiapp.client.WeChatCommunicationException.class)
			.isThrownBy(provider::getAccessToken);
		assertThat(provider.status().failure())
			.hasValueSatisfying((failure) -> assertThat(failure.consecutive()).isEqualTo(1));
	}

	@Test
	void fortyThousandOneFromTheTokenEndpointIsAWrongSecret() {
		CachingAccessTokenProvider provider = provider(true);
		sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(40001));
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(provider::getAccessToken);
		assertThat(provider.status().failure()).hasValueSatisfying((failure) -> assertThat(failure.refusal()).isTrue());
		assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(provider::getAccessToken)
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(AccessTokenUnavailableException.Reason.FETCH_REFUSED));
	}

	@Test
	void otherErrcodesFromTheTokenEndpointAreTransient() {
		CachingAccessTokenProvider provider = provider(true);
		sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(45009));
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(provider::getAccessToken);
		assertThat(provider.status().failure()).hasValueSatisfying((failure) -> {
			assertThat(failure.refusal()).isFalse();
			assertThat(failure.errcode()).isEqualTo(45009);
		});
	}

	private static int refusalErrors() {
		return (int) io.github.wechatminiapp.test.RecordingAppender.lines()
			.stream()
			.filter((line) -> line.contains("refuses this server's access token requests"))
			.count();
	}

	@Test
	void concurrentCallersShareOneFetch() throws Exception {
		CachingAccessTokenProvider provider = provider(true);
		sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.delay(Duration.ofMillis(300)));
		java.util.List<java.util.concurrent.CompletableFuture<String>> callers = new java.util.ArrayList<>();
		java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(12);
		for (int i = 0; i < 12; i++) {
			callers.add(java.util.concurrent.CompletableFuture.supplyAsync(provider::getAccessToken, threads));
		}
		threads.shutdown();
		String token = callers.get(0).get();
		for (java.util.concurrent.CompletableFuture<String> caller : callers) {
			assertThat(caller.get()).isEqualTo(token);
		}
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(1);
	}

	@Test
	void concurrentCallersShareOneFailure() throws Exception {
		WeChatMiniAppClient impatient = new WeChatMiniAppClient(
				RestClient.builder()
					.baseUrl(sandbox.baseUrl())
					.requestFactory(timingOut(Duration.ofMillis(500)))
					.build(),
				sandbox.appId(), sandbox.appSecret(), new RetrySettings(1, Duration.ZERO, Duration.ZERO, 1));
		CachingAccessTokenProvider provider = provider(impatient, this.store, true, Duration.ofMinutes(5), clock);
		sandbox.startOutage(WeChatEndpoint.STABLE_TOKEN, Fault.hang(), Duration.ofMinutes(1));
		try {
			java.util.List<java.util.concurrent.CompletableFuture<Throwable>> callers = new java.util.ArrayList<>();
			java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(12);
			for (int i = 0; i < 12; i++) {
				callers.add(java.util.concurrent.CompletableFuture.supplyAsync(
						() -> org.assertj.core.api.Assertions.catchThrowable(provider::getAccessToken), threads));
			}
			threads.shutdown();
			int shared = 0;
			for (java.util.concurrent.CompletableFuture<Throwable> caller : callers) {
				Throwable failure = caller.get(5, java.util.concurrent.TimeUnit.SECONDS);
				assertThat(failure).isInstanceOf(io.github.wechatminiapp.RetryLaterException.class);
				if (failure instanceof AccessTokenUnavailableException unavailable) {
					assertThat(unavailable.reason()).isEqualTo(AccessTokenUnavailableException.Reason.FETCH_FAILED);
					shared++;
				}
			}
			assertThat(shared).isGreaterThanOrEqualTo(callers.size() - 1);
			assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(1);
		}
		finally {
			sandbox.endOutage(WeChatEndpoint.STABLE_TOKEN);
		}
	}

	@Test
	void aWaiterGivesUpAfterTheLongestAFetchMayTake() throws Exception {
		WeChatMiniAppClient slow = new WeChatMiniAppClient(
				RestClient.builder()
					.baseUrl(sandbox.baseUrl())
					.requestFactory(timingOut(Duration.ofSeconds(3)))
					.build(),
				sandbox.appId(), sandbox.appSecret(), new RetrySettings(1, Duration.ZERO, Duration.ZERO, 1));
		CachingAccessTokenProvider provider = provider(slow, this.store, true, Duration.ofMinutes(5), clock);
		provider.setLockWait(Duration.ZERO);
		provider.setLockLease(Duration.ofMillis(200));
		sandbox.startOutage(WeChatEndpoint.STABLE_TOKEN, Fault.hang(), Duration.ofMinutes(1));
		try {
			java.util.concurrent.CompletableFuture<Throwable> leader = java.util.concurrent.CompletableFuture
				.supplyAsync(() -> org.assertj.core.api.Assertions.catchThrowable(provider::getAccessToken));
			while (sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN) == 0) {
				Thread.sleep(5);
			}
			long began = System.nanoTime();
			assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(provider::getAccessToken)
				.satisfies((ex) -> {
					assertThat(ex.reason()).isEqualTo(AccessTokenUnavailableException.Reason.FETCH_FAILED);
					assertThat(ex.getCause()).isNull();
				});
			assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(2));
			assertThat(leader.isDone()).isFalse();
			sandbox.endOutage(WeChatEndpoint.STABLE_TOKEN);
			assertThat(leader.get(5, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
		}
		finally {
			sandbox.endOutage(WeChatEndpoint.STABLE_TOKEN);
		}
	}

	@Test
	void aStoreWithoutALedgerCountsForcedRefreshesInThisJvmRatherThanGrantingAll() {
		CachingAccessTokenProvider provider = provider(this.client, new DelegatingStore(this.store), true,
				Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(30), 1, clock);
		provider.getAccessToken();
		sandbox.rejectStableToken();
		assertThat(phoneCall(provider)).isNotEmpty();
		assertThat(sandbox.forcedRefreshCount()).isEqualTo(1);
		clock.advance(Duration.ofMinutes(1));
		sandbox.rejectStableToken();
		assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(() -> phoneCall(provider))
			.satisfies((ex) -> assertThat(ex.reason())
				.isEqualTo(AccessTokenUnavailableException.Reason.DAILY_LIMIT_REACHED));
		assertThat(sandbox.forcedRefreshCount()).isEqualTo(1);
	}

	@Test
	void aStoreWithoutALockIsFetchedForByOneThreadOfThisJvm() {
		AccessTokenStore plain = new PlainStore(this.store);
		CachingAccessTokenProvider provider = provider(this.client, plain, true, Duration.ofMinutes(5), clock);
		String token = provider.getAccessToken();
		assertThat(provider.getAccessToken()).isEqualTo(token);
		assertThat(provider.cachedToken()).map(CachedAccessToken::value).contains(token);
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(1);
	}

	@Test
	void aLedgerOfItsOwnReplacesTheStores() {
		CachingAccessTokenProvider provider = provider(true);
		java.util.List<Instant> blocked = new java.util.ArrayList<>();
		provider.setForcedRefreshLedger(new ForcedRefreshLedger() {

			@Override
			public ForcedRefreshClaim tryClaimForcedRefresh(Instant now, Duration interval, int perDay) {
				return ForcedRefreshClaim.TOO_SOON;
			}

			@Override
			public void blockForcedRefreshes(Instant until) {
				blocked.add(until);
			}

		});
		provider.getAccessToken();
		sandbox.rejectStableToken();
		assertThatExceptionOfType(AccessTokenUnavailableException.class).isThrownBy(() -> phoneCall(provider))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(AccessTokenUnavailableException.Reason.TOO_SOON));
		assertThat(sandbox.forcedRefreshCount()).isZero();
	}

	@Test
	void settersRefuseWhatCannotWork() {
		CachingAccessTokenProvider provider = provider(true);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> provider.setRefreshBefore(Duration.ofSeconds(-1)));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> provider.setLockWait(Duration.ofSeconds(-1)));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> provider.setFailureBackoff(Duration.ZERO, Duration.ofSeconds(1)));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> provider.setFailureBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> provider.setRefusalBackoff(Duration.ZERO));
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> provider.setClock(null));
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> provider.setFetchListener(null));
		assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> provider.setForcedRefreshLedger(null));
		assertThatExceptionOfType(NullPointerException.class)
			.isThrownBy(() -> new CachingAccessTokenProvider(null, this.store));
		assertThatExceptionOfType(NullPointerException.class)
			.isThrownBy(() -> new CachingAccessTokenProvider(this.client, null));
		provider.setRefreshBefore(Duration.ZERO);
		provider.setLockWait(Duration.ZERO);
		provider.setFailureBackoff(Duration.ofMillis(1), Duration.ofMillis(1));
		provider.setRefusalBackoff(Duration.ofMillis(1));
	}

	@Test
	void executeRetriesOnceOn40014() {
		CachingAccessTokenProvider provider = provider(false);
		String first = provider.getAccessToken();
		int[] calls = new int[1];
		String result = provider.execute((token) -> {
			calls[0]++;
			if (token.equals(first)) {
				throw new WeChatApiException(io.github.wechatminiapp.client.WeChatApi.OTHER, 40014,
						"invalid access_token");
			}
			return token;
		});
		assertThat(result).isNotEqualTo(first);
		assertThat(calls[0]).isEqualTo(2);
	}

	/**
	 * A store that is only a store: neither a lock nor a forced-refresh ledger, as a
	 * user-written one may be.
	 */
	private static class PlainStore implements AccessTokenStore {

		private final AccessTokenStore kept;

		PlainStore(AccessTokenStore kept) {
			this.kept = kept;
		}

		@Override
		public java.util.Optional<CachedAccessToken> get() {
			return this.kept.get();
		}

		@Override
		public void put(CachedAccessToken token) {
			this.kept.put(token);
		}

		@Override
		public void evict(String value) {
			this.kept.evict(value);
		}

	}

}
