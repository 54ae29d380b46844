package io.github.wechatminiapp.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.client.AccessToken;
import io.github.wechatminiapp.client.WeChatMiniAppClient;

/**
 * Keeps the access token in an {@link AccessTokenStore} and fetches it from WeChat once for any number of
 * concurrent callers, in this JVM and, through the store's lock, across instances. While a still-valid token is
 * due for refresh, one caller refreshes it and the others keep using the current one; if that refresh fails the
 * current token is used until it expires. Callers that find no usable token wait for the lock holder's new token,
 * for a bounded time, rather than calling WeChat themselves.
 */
public final class CachingAccessTokenProvider implements AccessTokenProvider {

	private static final Log logger = LogFactory.getLog(CachingAccessTokenProvider.class);

	private static final Duration LOCK_LEASE = Duration.ofSeconds(30);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(25);

	private final WeChatMiniAppClient client;

	private final AccessTokenStore store;

	private final boolean stableToken;

	private final Duration refreshBefore;

	private final Duration lockWait;

	private final Clock clock;

	private final ReentrantLock fetchLock = new ReentrantLock();

	private final String owner = UUID.randomUUID().toString();

	private volatile String lastRejected;

	private volatile String lastFetchFailure;

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
		this.client = client;
		this.store = store;
		this.stableToken = stableToken;
		this.refreshBefore = refreshBefore;
		this.lockWait = lockWait;
		this.clock = clock;
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
			if (!this.store.tryLock(this.owner, LOCK_LEASE)) {
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
			if (this.store.tryLock(this.owner, LOCK_LEASE)) {
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
		AccessToken token;
		try {
			token = this.stableToken ? this.client.getStableAccessToken(false) : this.client.getAccessToken();
			if (this.stableToken && token.value().equals(this.lastRejected)) {
				// WeChat handed back the token it just rejected: only a forced refresh gives a new one.
				token = this.client.getStableAccessToken(true);
			}
		}
		catch (RuntimeException ex) {
			this.lastFetchFailure = ex.getMessage();
			throw ex;
		}
		this.lastFetchFailure = null;
		CachedAccessToken cached = CachedAccessToken.of(token, this.clock.instant(), this.refreshBefore);
		this.store.put(cached);
		return cached;
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
