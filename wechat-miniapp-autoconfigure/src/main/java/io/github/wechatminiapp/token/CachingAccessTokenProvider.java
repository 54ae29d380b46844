package io.github.wechatminiapp.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.client.AccessToken;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatErrorCode;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.token.AccessTokenUnavailableException.Reason;

/**
 * Keeps the access token in an {@link AccessTokenStore} and fetches it from WeChat once for any number of
 * concurrent callers, in this JVM and, through the store's lock, across instances. While a still-valid token is
 * due for refresh, one caller refreshes it and the others keep using the current one; if that refresh fails the
 * current token is used until it expires. Callers that find no usable token wait for the lock holder's new token,
 * for a bounded time, rather than calling WeChat themselves.
 * <p>
 * When WeChat rejects the stable token (40001) and yet keeps handing it out, only a forced refresh
 * ({@code force_refresh: true}) gives a new one; WeChat allows 20 a day and ignores one within 30 s of the previous.
 * The provider forces at most one per 30 s and a daily budget per app, counted in the store, so across every
 * instance sharing it. When a forced refresh is not possible or is refused, the token WeChat hands out stays in
 * use, and calls WeChat rejects for it fail at once with an {@link AccessTokenUnavailableException} until a forced
 * refresh may be tried again, rather than each forcing one.
 */
public final class CachingAccessTokenProvider implements AccessTokenProvider {

	private static final Log logger = LogFactory.getLog(CachingAccessTokenProvider.class);

	private static final Duration LOCK_LEASE = Duration.ofSeconds(30);

	/** WeChat ignores a forced refresh less than this after the previous one. */
	public static final Duration FORCED_REFRESH_INTERVAL = Duration.ofSeconds(30);

	/** Forced refreshes a day unless configured otherwise; WeChat allows 20. */
	public static final int DEFAULT_FORCED_REFRESHES_PER_DAY = 10;

	/** Room in a lock lease for the store's own round trips. */
	private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(25);

	private final WeChatMiniAppClient client;

	private final AccessTokenStore store;

	private final boolean stableToken;

	private final Duration refreshBefore;

	private final Duration lockWait;

	private final Clock clock;

	private final Duration lockLease;

	private final int forcedRefreshesPerDay;

	private final ReentrantLock fetchLock = new ReentrantLock();

	private final String owner = UUID.randomUUID().toString();

	private volatile String lastRejected;

	private volatile String lastFetchFailure;

	private volatile Refusal refusal;

	/**
	 * Creates a provider that waits up to 5 seconds for another instance's refresh.
	 * @param client the client to fetch tokens with
	 * @param store where the token is kept
	 * @param stableToken whether to use {@code /cgi-bin/stable_token} (shared by every instance) rather than
	 * {@code /cgi-bin/token}
	 * @param refreshBefore how long ahead of expiry to refresh the token
	 * @param clock the clock
	 */
	public CachingAccessTokenProvider(WeChatMiniAppClient client, AccessTokenStore store, boolean stableToken,
			Duration refreshBefore, Clock clock) {
		this(client, store, stableToken, refreshBefore, Duration.ofSeconds(5), clock);
	}

	/**
	 * Creates a provider.
	 * @param client the client to fetch tokens with
	 * @param store where the token is kept
	 * @param stableToken whether to use {@code /cgi-bin/stable_token} rather than {@code /cgi-bin/token}
	 * @param refreshBefore how long ahead of expiry to refresh the token
	 * @param lockWait how long to wait for another instance's refresh before fetching a token anyway
	 * @param clock the clock
	 */
	public CachingAccessTokenProvider(WeChatMiniAppClient client, AccessTokenStore store, boolean stableToken,
			Duration refreshBefore, Duration lockWait, Clock clock) {
		this(client, store, stableToken, refreshBefore, lockWait, LOCK_LEASE, DEFAULT_FORCED_REFRESHES_PER_DAY, clock);
	}

	/**
	 * Creates a provider.
	 * @param client the client to fetch tokens with
	 * @param store where the token is kept
	 * @param stableToken whether to use {@code /cgi-bin/stable_token} rather than {@code /cgi-bin/token}
	 * @param refreshBefore how long ahead of expiry to refresh the token
	 * @param lockWait how long to wait for another instance's refresh before fetching a token anyway
	 * @param lockLease how long the store's refresh lock holds if its owner never releases it; at least the
	 * longest refresh, see {@link #lockLease(Duration, Duration, RetrySettings)}
	 * @param forcedRefreshesPerDay the most forced refreshes a day for the app, across every instance sharing the
	 * store; WeChat allows 20
	 * @param clock the clock
	 */
	public CachingAccessTokenProvider(WeChatMiniAppClient client, AccessTokenStore store, boolean stableToken,
			Duration refreshBefore, Duration lockWait, Duration lockLease, int forcedRefreshesPerDay, Clock clock) {
		if (lockLease.isNegative() || lockLease.isZero()) {
			throw new IllegalArgumentException("lockLease must be positive");
		}
		if (forcedRefreshesPerDay < 0) {
			throw new IllegalArgumentException("forcedRefreshesPerDay must not be negative");
		}
		this.client = client;
		this.store = store;
		this.stableToken = stableToken;
		this.refreshBefore = refreshBefore;
		this.lockWait = lockWait;
		this.lockLease = lockLease;
		this.forcedRefreshesPerDay = forcedRefreshesPerDay;
		this.clock = clock;
	}

	/**
	 * The lease of the refresh lock that outlasts the longest refresh: a normal fetch followed by a forced one,
	 * each with every attempt timing out on connect and read and every backoff between attempts, plus room for
	 * the store's round trips. A holder that outlives its lease cannot harm: the store never lets an older token
	 * replace a newer one.
	 * @param connectTimeout the HTTP connect timeout
	 * @param readTimeout the HTTP read timeout
	 * @param retry the retries of busy answers
	 * @return the lease
	 */
	public static Duration lockLease(Duration connectTimeout, Duration readTimeout, RetrySettings retry) {
		Duration call = connectTimeout.plus(readTimeout).multipliedBy(retry.maxAttempts());
		for (int attempt = 1; attempt < retry.maxAttempts(); attempt++) {
			call = call.plus(retry.backoff(attempt));
		}
		return call.multipliedBy(2).plus(LEASE_MARGIN);
	}

	@Override
	public String getAccessToken() {
		CachedAccessToken cached = this.store.get().orElse(null);
		Instant now = this.clock.instant();
		if (cached != null && !cached.isRefreshDue(now)) {
			return cached.value();
		}
		if (cached != null && cached.isUsable(now)) {
			return refreshAhead(cached);
		}
		this.fetchLock.lock();
		try {
			return fetchWhenNoneUsable();
		}
		finally {
			this.fetchLock.unlock();
		}
	}

	/** One caller refreshes; the others, here and on other instances, go on with the token that still works. */
	private String refreshAhead(CachedAccessToken cached) {
		if (!this.fetchLock.tryLock()) {
			return cached.value();
		}
		try {
			if (!this.store.tryLock(this.owner, this.lockLease)) {
				return cached.value();
			}
			try {
				CachedAccessToken current = this.store.get().orElse(cached);
				Instant now = this.clock.instant();
				if (!current.isRefreshDue(now)) {
					return current.value();
				}
				try {
					return fetch().value();
				}
				catch (WeChatMiniAppException ex) {
					if (!current.isUsable(this.clock.instant())) {
						throw ex;
					}
					logger.warn("Refreshing the WeChat access token ahead of expiry failed; the current one stays "
							+ "in use: " + ex.getMessage());
					return current.value();
				}
			}
			finally {
				this.store.unlock(this.owner);
			}
		}
		finally {
			this.fetchLock.unlock();
		}
	}

	private String fetchWhenNoneUsable() {
		Instant deadline = this.clock.instant().plus(this.lockWait);
		while (true) {
			CachedAccessToken current = this.store.get().orElse(null);
			if (current != null && current.isUsable(this.clock.instant())) {
				return current.value();
			}
			if (this.store.tryLock(this.owner, this.lockLease)) {
				try {
					current = this.store.get().orElse(null);
					if (current != null && current.isUsable(this.clock.instant())) {
						return current.value();
					}
					return fetch().value();
				}
				finally {
					this.store.unlock(this.owner);
				}
			}
			if (!this.clock.instant().isBefore(deadline)) {
				logger.warn("Another instance held the WeChat access token lock for over " + this.lockWait
						+ "; fetching a token without it");
				return fetch().value();
			}
			pause();
		}
	}

	private CachedAccessToken fetch() {
		Instant requestedAt = this.clock.instant();
		CachedAccessToken cached;
		try {
			if (!this.stableToken) {
				cached = cache(this.client.fetchAccessToken(), requestedAt);
			}
			else {
				AccessToken token = this.client.fetchStableAccessToken(false);
				// WeChat handed back the token it just rejected: only a forced refresh gives a new one.
				cached = token.value().equals(this.lastRejected) ? forceRefresh(token, requestedAt)
						: cache(token, requestedAt);
			}
		}
		catch (RuntimeException ex) {
			this.lastFetchFailure = ex.getMessage();
			throw ex;
		}
		this.lastFetchFailure = null;
		this.store.put(cached);
		// The store keeps a newer token another instance wrote meanwhile; that one is the token to use.
		Instant now = this.clock.instant();
		return this.store.get().filter((kept) -> kept.isUsable(now)).orElse(cached);
	}

	private CachedAccessToken forceRefresh(AccessToken handedOut, Instant requestedAt) {
		Instant now = this.clock.instant();
		Refusal current = this.refusal;
		if (current != null && current.blocks(handedOut.value(), now)) {
			throw fallBack(handedOut, requestedAt, current.reason(), current.retryAfter(), null);
		}
		ForcedRefreshClaim claim = this.store.tryClaimForcedRefresh(now, FORCED_REFRESH_INTERVAL,
				this.forcedRefreshesPerDay);
		if (claim == ForcedRefreshClaim.TOO_SOON) {
			throw fallBack(handedOut, requestedAt, Reason.TOO_SOON, now.plus(FORCED_REFRESH_INTERVAL), null);
		}
		if (claim == ForcedRefreshClaim.DAILY_LIMIT_REACHED) {
			throw fallBack(handedOut, requestedAt, Reason.DAILY_LIMIT_REACHED, ForcedRefreshLedger.nextDay(now), null);
		}
		AccessToken forced;
		try {
			forced = this.client.fetchStableAccessToken(true);
		}
		catch (WeChatApiException ex) {
			if (ex.errcode() == WeChatErrorCode.DAILY_LIMIT.code()) {
				Instant nextDay = ForcedRefreshLedger.nextDay(now);
				this.store.blockForcedRefreshes(nextDay);
				throw fallBack(handedOut, requestedAt, Reason.DAILY_LIMIT_REACHED, nextDay, ex);
			}
			throw fallBack(handedOut, requestedAt, Reason.REFRESH_FAILED, now.plus(FORCED_REFRESH_INTERVAL), ex);
		}
		catch (WeChatMiniAppException ex) {
			throw fallBack(handedOut, requestedAt, Reason.REFRESH_FAILED, now.plus(FORCED_REFRESH_INTERVAL), ex);
		}
		if (forced.value().equals(handedOut.value())) {
			// Someone outside this store's count forced a refresh less than 30 s ago: WeChat changed nothing.
			throw fallBack(handedOut, requestedAt, Reason.TOO_SOON, now.plus(FORCED_REFRESH_INTERVAL), null);
		}
		this.refusal = null;
		logger.warn("WeChat rejected the access token it kept handing out; forced a refresh");
		return cache(forced, now);
	}

	/** Keeps the token WeChat hands out, for the calls it still serves, and fails this caller fast. */
	private AccessTokenUnavailableException fallBack(AccessToken handedOut, Instant requestedAt, Reason reason,
			Instant retryAfter, RuntimeException cause) {
		this.store.put(cache(handedOut, requestedAt));
		Refusal previous = this.refusal;
		this.refusal = new Refusal(handedOut.value(), reason, retryAfter);
		if (previous == null || !previous.retryAfter().equals(retryAfter)) {
			logger.warn("WeChat rejects the access token and no forced refresh is possible before " + retryAfter
					+ " (" + reason + ((cause != null) ? ": " + cause.getMessage() : "")
					+ "); calls it rejects fail fast until then");
		}
		return new AccessTokenUnavailableException(reason, retryAfter, cause);
	}

	/** Expiry counted from when the token was asked for, never later than WeChat's own. */
	private CachedAccessToken cache(AccessToken token, Instant requestedAt) {
		return CachedAccessToken.of(token, requestedAt, this.refreshBefore);
	}

	/**
	 * Runs a call that needs the token; when WeChat rejects the token (40001 or 42001), fetches a new one and runs
	 * the call once more. While no new token can be had for the rejected one, fails at once instead.
	 * @param <T> what the call returns
	 * @param call the call, given the token
	 * @return what the call returns
	 * @throws AccessTokenUnavailableException if WeChat rejects the token and no forced refresh is possible now
	 */
	@Override
	public <T> T execute(Function<String, T> call) {
		String token = getAccessToken();
		try {
			return call.apply(token);
		}
		catch (WeChatApiException ex) {
			if (!ex.errorCode().map(WeChatErrorCode::accessTokenRejected).orElse(false)) {
				throw ex;
			}
			Refusal current = this.refusal;
			if (current != null && current.blocks(token, this.clock.instant())) {
				throw new AccessTokenUnavailableException(current.reason(), current.retryAfter(), ex);
			}
			invalidate(token);
			return call.apply(getAccessToken());
		}
	}

	/**
	 * Why no new token can be had for the one WeChat rejects, while that lasts and that token is still the kept
	 * one; for health checks.
	 * @return the reason and until when, or empty
	 */
	public Optional<AccessTokenUnavailableException> forcedRefreshRefusal() {
		Refusal current = this.refusal;
		if (current == null
				|| !this.store.get().map((kept) -> current.blocks(kept.value(), this.clock.instant())).orElse(false)) {
			return Optional.empty();
		}
		return Optional.of(new AccessTokenUnavailableException(current.reason(), current.retryAfter(), null));
	}

	/** Not a record: nothing may print the token it holds. */
	private static final class Refusal {

		private final String token;

		private final Reason reason;

		private final Instant retryAfter;

		Refusal(String token, Reason reason, Instant retryAfter) {
			this.token = token;
			this.reason = reason;
			this.retryAfter = retryAfter;
		}

		Reason reason() {
			return this.reason;
		}

		Instant retryAfter() {
			return this.retryAfter;
		}

		boolean blocks(String rejectedToken, Instant now) {
			return this.token.equals(rejectedToken) && now.isBefore(this.retryAfter);
		}

	}

	/**
	 * Why the last attempt to fetch a token failed, if it did; for health checks. Never contains the token or the
	 * secret.
	 * @return the failure's message, or empty when the last fetch succeeded or none was made
	 */
	public Optional<String> lastFetchFailure() {
		return Optional.ofNullable(this.lastFetchFailure);
	}

	/**
	 * The token kept now, without fetching one; for health checks.
	 * @return the cached token, or empty
	 */
	public Optional<CachedAccessToken> cachedToken() {
		return this.store.get();
	}

	private static void pause() {
		try {
			Thread.sleep(POLL_INTERVAL.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WeChatMiniAppException("Interrupted while waiting for the WeChat access token");
		}
	}

	@Override
	public void invalidate(String rejectedToken) {
		this.lastRejected = rejectedToken;
		this.store.evict(rejectedToken);
	}

}
