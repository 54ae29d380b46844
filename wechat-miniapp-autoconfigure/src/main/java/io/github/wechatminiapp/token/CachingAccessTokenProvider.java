package io.github.wechatminiapp.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.client.AccessToken;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.token.AccessTokenUnavailableException.Reason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps the access token in an {@link AccessTokenStore} and fetches it from WeChat once
 * for any number of concurrent callers: one fetch is in flight per provider (per app),
 * and its outcome, a token or a failure, is shared by every caller that waited for it.
 * Across instances, a store that is an {@link AccessTokenLock} lets one instance at a
 * time fetch. While a still-valid token is due for refresh, one caller refreshes it and
 * the others keep using the current one; if that refresh fails the current token is used
 * until it expires.
 * <p>
 * No caller waits without a bound, and a failure is not repeated by every caller: after a
 * failed fetch, callers that find no usable token fail at once with an
 * {@link AccessTokenUnavailableException} whose {@code retryAfter()} says when the next
 * fetch will be tried. The backoff after a transient failure (a timeout, an I/O error,
 * WeChat busy) grows with each failure up to a cap; after a refusal of this server's
 * configuration (an errcode of the
 * {@link io.github.wechatminiapp.client.WeChatApiException.Category#CONFIGURATION
 * configuration} category: app id, secret, IP allow list, the app's status, and 40001
 * from the token endpoints, a wrong secret) it is long, and one ERROR line names the
 * errcode and WeChat's {@code rid}.
 * <p>
 * When WeChat rejects the stable token (40001) and yet keeps handing it out, a
 * {@link ForcedRefreshPolicy} decides whether to force a refresh, counted in the store
 * when it is a {@link ForcedRefreshLedger}, else in this JVM.
 * <p>
 * Built from its two required collaborators, then configured with setters before first
 * use.
 */
public final class CachingAccessTokenProvider implements ObservableAccessTokenProvider {

	private static final Log logger = LogFactory.getLog(CachingAccessTokenProvider.class);

	/** WeChat ignores a forced refresh less than this after the previous one. */
	public static final Duration FORCED_REFRESH_INTERVAL = Duration.ofSeconds(30);

	/** Forced refreshes a day unless configured otherwise; WeChat allows 20. */
	public static final int DEFAULT_FORCED_REFRESHES_PER_DAY = 10;

	/** Room in a lock lease for the store's own round trips. */
	private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(25);

	/**
	 * How often a retry evicts the rejected token once more when it finds it kept again;
	 * each time takes another instance that has not yet met the rejection.
	 */
	private static final int REJECTED_TOKEN_RETURNS = 3;

	private final WeChatMiniAppClient client;

	private final AccessTokenStore store;

	private final AccessTokenLock lock;

	private final ForcedRefreshPolicy forcedRefreshes;

	private final String owner = UUID.randomUUID().toString();

	private final Object flightMonitor = new Object();

	private boolean stableToken = true;

	private Duration refreshBefore = Duration.ofMinutes(5);

	private Duration lockWait = Duration.ofSeconds(5);

	private Duration lockLease = Duration.ofSeconds(30);

	private Duration failureBackoff = Duration.ofSeconds(1);

	private Duration maxFailureBackoff = Duration.ofMinutes(1);

	private Duration refusalBackoff = Duration.ofMinutes(10);

	private Clock clock = Clock.systemUTC();

	private AccessTokenFetchListener fetchListener = AccessTokenFetchListener.NONE;

	private CompletableFuture<CachedAccessToken> inFlight;

	private volatile String lastRejected;

	private volatile AccessTokenStatus.Failure failure;

	/**
	 * Creates a provider of the stable token, refreshed 5 minutes ahead of expiry. A
	 * store that is an {@link AccessTokenLock} is locked across instances for each fetch;
	 * a store that is a {@link ForcedRefreshLedger} counts forced refreshes for every
	 * instance sharing it, else this JVM counts its own.
	 * @param client the client to fetch tokens with
	 * @param store where the token is kept
	 */
	public CachingAccessTokenProvider(WeChatMiniAppClient client, AccessTokenStore store) {
		this.client = Objects.requireNonNull(client, "client must not be null");
		this.store = Objects.requireNonNull(store, "store must not be null");
		this.lock = (store instanceof AccessTokenLock storeLock) ? storeLock : null;
		this.forcedRefreshes = new ForcedRefreshPolicy(client,
				(store instanceof ForcedRefreshLedger ledger) ? ledger : new LocalForcedRefreshLedger());
	}

	/**
	 * Whether to use {@code /cgi-bin/stable_token} (shared by every caller, the default)
	 * rather than {@code /cgi-bin/token}, where each fetch invalidates the previous
	 * token.
	 * @param stableToken whether to use the stable token
	 */
	public void setStableToken(boolean stableToken) {
		this.stableToken = stableToken;
	}

	/**
	 * How long ahead of expiry to refresh the token; 5 minutes by default.
	 * @param refreshBefore the margin
	 */
	public void setRefreshBefore(Duration refreshBefore) {
		this.refreshBefore = requireNotNegative(refreshBefore, "refreshBefore");
	}

	/**
	 * How long to wait for another instance's refresh before fetching a token anyway; 5
	 * seconds by default.
	 * @param lockWait the wait
	 */
	public void setLockWait(Duration lockWait) {
		this.lockWait = requireNotNegative(lockWait, "lockWait");
	}

	/**
	 * How long the store's refresh lock holds if its owner never releases it, and the
	 * longest a caller waits for the fetch in flight; at least the longest fetch, see
	 * {@link #lockLease(Duration, Duration, RetrySettings)}.
	 * @param lockLease the lease, positive
	 */
	public void setLockLease(Duration lockLease) {
		this.lockLease = requirePositive(lockLease, "lockLease");
	}

	/**
	 * The most forced refreshes a day for the app, across every instance sharing the
	 * ledger; WeChat allows 20.
	 * @param forcedRefreshesPerDay the budget, not negative
	 */
	public void setForcedRefreshesPerDay(int forcedRefreshesPerDay) {
		this.forcedRefreshes.setPerDay(forcedRefreshesPerDay);
	}

	/**
	 * Where forced refreshes are counted, in place of the store (when it is a ledger) or
	 * this JVM.
	 * @param ledger the ledger
	 */
	public void setForcedRefreshLedger(ForcedRefreshLedger ledger) {
		this.forcedRefreshes.setLedger(ledger);
	}

	/**
	 * The backoff after a transient failure (a timeout, an I/O error, WeChat busy): the
	 * first failure waits {@code initial}, each further one in a row twice as long, never
	 * more than {@code max}.
	 * @param initial the first backoff, positive
	 * @param max the longest backoff, at least {@code initial}
	 */
	public void setFailureBackoff(Duration initial, Duration max) {
		requirePositive(initial, "initial");
		if (max.compareTo(initial) < 0) {
			throw new IllegalArgumentException("max must not be shorter than initial");
		}
		this.failureBackoff = initial;
		this.maxFailureBackoff = max;
	}

	/**
	 * The backoff after WeChat refuses this server's configuration; 10 minutes by
	 * default.
	 * @param refusalBackoff the backoff, positive
	 */
	public void setRefusalBackoff(Duration refusalBackoff) {
		this.refusalBackoff = requirePositive(refusalBackoff, "refusalBackoff");
	}

	/**
	 * The clock of expiries and backoffs.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	/**
	 * Told of every failed fetch, for metrics.
	 * @param fetchListener the listener
	 */
	public void setFetchListener(AccessTokenFetchListener fetchListener) {
		this.fetchListener = Objects.requireNonNull(fetchListener, "fetchListener must not be null");
	}

	private static Duration requireNotNegative(Duration duration, String name) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException(name + " must not be negative");
		}
		return duration;
	}

	private static Duration requirePositive(Duration duration, String name) {
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " must be positive");
		}
		return duration;
	}

	/**
	 * The lease of the refresh lock that outlasts the longest refresh: a normal fetch
	 * followed by a forced one, each with every attempt timing out on connect and read
	 * and every backoff between attempts, plus room for the store's round trips. A holder
	 * that outlives its lease cannot harm: the store never lets an older token replace a
	 * newer one.
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
		return fetchWhenNoneUsable();
	}

	/**
	 * One caller refreshes; the others, here and on other instances, go on with the token
	 * that still works.
	 * @param cached the cached token, due for refresh but still valid
	 * @return the refreshed token, or the cached one when another caller refreshes
	 */
	private String refreshAhead(CachedAccessToken cached) {
		if (backingOff(this.clock.instant()) != null) {
			return cached.value();
		}
		CompletableFuture<CachedAccessToken> flight = new CompletableFuture<>();
		if (joinOrLead(flight) != flight) {
			return cached.value();
		}
		try {
			return fly(flight, () -> refreshUnderStoreLock(cached)).value();
		}
		catch (WeChatMiniAppException ex) {
			if (!cached.isUsable(this.clock.instant())) {
				throw ex;
			}
			logger.warn("Refreshing the WeChat access token ahead of expiry failed; the current one stays in use: "
					+ ex.getMessage());
			return cached.value();
		}
	}

	private CachedAccessToken refreshUnderStoreLock(CachedAccessToken cached) {
		if (this.lock != null && !this.lock.tryLock(this.owner, this.lockLease)) {
			return cached;
		}
		try {
			CachedAccessToken current = this.store.get().orElse(cached);
			if (!current.isRefreshDue(this.clock.instant())) {
				return current;
			}
			return fetch();
		}
		finally {
			unlockStore();
		}
	}

	private String fetchWhenNoneUsable() {
		AccessTokenStatus.Failure failed = backingOff(this.clock.instant());
		if (failed != null) {
			throw unavailable(failed, null);
		}
		CompletableFuture<CachedAccessToken> flight = new CompletableFuture<>();
		CompletableFuture<CachedAccessToken> joined = joinOrLead(flight);
		if (joined == flight) {
			return fly(flight, this::fetchUnderStoreLock).value();
		}
		return await(joined).value();
	}

	/**
	 * The fetch in flight, or the given one, which the caller then leads, when none is.
	 * @param flight the caller's fetch, in case it leads
	 * @return the fetch in flight; the caller leads when it is the one given
	 */
	private CompletableFuture<CachedAccessToken> joinOrLead(CompletableFuture<CachedAccessToken> flight) {
		synchronized (this.flightMonitor) {
			if (this.inFlight == null) {
				this.inFlight = flight;
			}
			return this.inFlight;
		}
	}

	private CachedAccessToken fly(CompletableFuture<CachedAccessToken> flight, Supplier<CachedAccessToken> fetch) {
		try {
			CachedAccessToken token = fetch.get();
			flight.complete(token);
			return token;
		}
		catch (RuntimeException ex) {
			flight.completeExceptionally(ex);
			throw ex;
		}
		finally {
			synchronized (this.flightMonitor) {
				this.inFlight = null;
			}
		}
	}

	/**
	 * Shares the outcome of the fetch in flight, waiting at most for the longest a fetch
	 * takes: the wait for another instance's lock and a lock lease.
	 * @param flight the fetch in flight
	 * @return the fetched token
	 */
	private CachedAccessToken await(CompletableFuture<CachedAccessToken> flight) {
		try {
			return flight.get(this.lockWait.plus(this.lockLease).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof AccessTokenUnavailableException unavailable) {
				throw new AccessTokenUnavailableException(unavailable.reason(), unavailable.retryAfter(), cause);
			}
			AccessTokenStatus.Failure failed = this.failure;
			throw (failed != null) ? unavailable(failed, cause)
					: new AccessTokenUnavailableException(Reason.FETCH_FAILED, Duration.ZERO, cause);
		}
		catch (TimeoutException ex) {
			throw new AccessTokenUnavailableException(Reason.FETCH_FAILED, Duration.ZERO, null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WeChatMiniAppException("Interrupted while waiting for the WeChat access token");
		}
	}

	private CachedAccessToken fetchUnderStoreLock() {
		if (this.lock == null) {
			CachedAccessToken current = this.store.get().orElse(null);
			return (current != null && current.isUsable(this.clock.instant())) ? current : fetch();
		}
		Instant deadline = this.clock.instant().plus(this.lockWait);
		while (true) {
			CachedAccessToken current = this.store.get().orElse(null);
			if (current != null && current.isUsable(this.clock.instant())) {
				return current;
			}
			if (this.lock.tryLock(this.owner, this.lockLease)) {
				try {
					current = this.store.get().orElse(null);
					if (current != null && current.isUsable(this.clock.instant())) {
						return current;
					}
					return fetch();
				}
				finally {
					unlockStore();
				}
			}
			if (!this.clock.instant().isBefore(deadline)) {
				logger.warn("Another instance held the WeChat access token lock for over " + this.lockWait
						+ "; fetching a token without it");
				return fetch();
			}
			pause();
		}
	}

	private void unlockStore() {
		if (this.lock != null) {
			this.lock.unlock(this.owner);
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
				// WeChat handed back the token it just rejected: only a forced refresh
				// gives a new one.
				cached = token.value().equals(this.lastRejected) ? forceRefresh(token, requestedAt)
						: cache(token, requestedAt);
			}
		}
		catch (AccessTokenUnavailableException ex) {
			// The token WeChat hands out is kept and works for what WeChat accepts: not a
			// failed fetch.
			this.failure = null;
			throw ex;
		}
		catch (RuntimeException ex) {
			recordFailure(ex);
			throw ex;
		}
		this.failure = null;
		this.store.put(cached);
		// The store keeps a newer token another instance wrote meanwhile; that one is the
		// token to use.
		Instant now = this.clock.instant();
		return this.store.get().filter((kept) -> kept.isUsable(now)).orElse(cached);
	}

	private CachedAccessToken forceRefresh(AccessToken handedOut, Instant requestedAt) {
		try {
			return cache(this.forcedRefreshes.forceRefresh(handedOut, this.clock), this.clock.instant());
		}
		catch (AccessTokenUnavailableException ex) {
			// Kept for the calls it still serves; calls WeChat rejects for it fail fast.
			this.store.put(cache(handedOut, requestedAt));
			throw ex;
		}
	}

	private void recordFailure(RuntimeException ex) {
		Instant now = this.clock.instant();
		WeChatApiException refused = (ex instanceof WeChatApiException api && isRefusal(api)) ? api : null;
		AccessTokenStatus.Failure previous = this.failure;
		int consecutive = (previous != null) ? previous.consecutive() + 1 : 1;
		Duration backoff = (refused != null) ? this.refusalBackoff : transientBackoff(consecutive);
		Integer errcode = (ex instanceof WeChatApiException api) ? api.errcode() : null;
		String rid = (ex instanceof WeChatApiException api) ? api.rid().orElse(null) : null;
		// Some exceptions carry no message: the status (and the health details it feeds)
		// still says what failed.
		String message = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
		AccessTokenStatus.Failure failed = new AccessTokenStatus.Failure(message, refused != null, errcode, rid,
				consecutive, now.plus(backoff));
		this.failure = failed;
		if (refused != null) {
			if (previous == null || !previous.refusal() || !Objects.equals(previous.errcode(), errcode)) {
				logger.error("WeChat refuses this server's access token requests (errcode " + errcode + ", rid " + rid
						+ "): check the app id, the app secret and the IP allow list; no token is requested before "
						+ failed.retryAt() + ": " + ex.getMessage());
			}
		}
		else {
			logger.warn("Fetching the WeChat access token failed (" + consecutive + " in a row); no token is requested "
					+ "before " + failed.retryAt() + ": " + ex.getMessage());
		}
		this.fetchListener.fetchFailed(this.client.appId(), failed);
	}

	private static boolean isRefusal(WeChatApiException ex) {
		// The catalogue's category for the API that answered: on the token endpoints
		// 40001
		// is a wrong secret, not a stale token.
		return ex.category() == WeChatApiException.Category.CONFIGURATION;
	}

	private Duration transientBackoff(int consecutive) {
		Duration backoff = this.failureBackoff;
		for (int i = 1; i < consecutive && backoff.compareTo(this.maxFailureBackoff) < 0; i++) {
			backoff = backoff.multipliedBy(2);
		}
		return (backoff.compareTo(this.maxFailureBackoff) < 0) ? backoff : this.maxFailureBackoff;
	}

	/**
	 * The failure whose backoff holds now, or {@code null}.
	 * @param now the current instant
	 * @return the last failure, while its backoff lasts, else {@code null}
	 */
	private AccessTokenStatus.Failure backingOff(Instant now) {
		AccessTokenStatus.Failure failed = this.failure;
		return (failed != null && now.isBefore(failed.retryAt())) ? failed : null;
	}

	private AccessTokenUnavailableException unavailable(AccessTokenStatus.Failure failed, Throwable cause) {
		return new AccessTokenUnavailableException(failed.refusal() ? Reason.FETCH_REFUSED : Reason.FETCH_FAILED,
				Duration.between(this.clock.instant(), failed.retryAt()), cause);
	}

	/**
	 * Expiry counted from when the token was asked for, never later than WeChat's own.
	 * @param token the token WeChat issued
	 * @param requestedAt when the token was asked for
	 * @return the token to cache
	 */
	private CachedAccessToken cache(AccessToken token, Instant requestedAt) {
		return CachedAccessToken.of(token, requestedAt, this.refreshBefore);
	}

	/**
	 * Runs a call that needs the token; when WeChat rejects the token (40001, 40014 or
	 * 42001), fetches a new one and runs the call once more. While no new token can be
	 * had for the rejected one, fails at once instead.
	 * @param <T> what the call returns
	 * @param call the call, given the token
	 * @return what the call returns
	 * @throws AccessTokenUnavailableException if no token can be had now, or WeChat
	 * rejects the token and no forced refresh is possible now
	 */
	@Override
	public <T> T execute(Function<String, T> call) {
		String token = getAccessToken();
		try {
			return call.apply(token);
		}
		catch (WeChatApiException ex) {
			if (ex.category() != WeChatApiException.Category.TOKEN) {
				throw ex;
			}
			ForcedRefreshPolicy.Refusal refusal = this.forcedRefreshes.refusalFor(token, this.clock.instant());
			if (refusal != null) {
				throw refusal.exception(this.clock.instant(), ex);
			}
			invalidate(token);
			String retry = getAccessToken();
			for (int again = 0; again < REJECTED_TOKEN_RETURNS && retry.equals(token); again++) {
				// Another instance, not yet told of the rejection, fetched the rejected
				// token again and kept it; this one, told, fetches past it.
				invalidate(token);
				retry = getAccessToken();
			}
			return call.apply(retry);
		}
	}

	@Override
	public AccessTokenStatus status() {
		Instant now = this.clock.instant();
		CachedAccessToken kept = this.store.get().orElse(null);
		ForcedRefreshPolicy.Refusal refusal = (kept != null) ? this.forcedRefreshes.refusalFor(kept.value(), now)
				: null;
		return new AccessTokenStatus(now, (kept != null) ? kept.expiresAt() : null, this.failure,
				(refusal != null) ? refusal.reason() : null, (refusal != null) ? refusal.retryAt() : null);
	}

	/**
	 * The token kept now, without fetching one.
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
