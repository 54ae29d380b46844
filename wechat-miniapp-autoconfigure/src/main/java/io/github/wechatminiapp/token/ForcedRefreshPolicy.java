package io.github.wechatminiapp.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.client.AccessToken;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatErrorCode;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.token.AccessTokenUnavailableException.Reason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * When WeChat rejects the stable token (40001) and yet keeps handing it out, only a
 * forced refresh ({@code force_refresh: true}) gives a new one; WeChat allows 20 a day
 * and ignores one within 30 s of the previous. This policy forces at most one per 30 s
 * and a daily budget, counted in a {@link ForcedRefreshLedger}, and remembers a refusal
 * so that calls rejected for the same token fail fast until it ends, rather than each
 * forcing one. One WARN line per refusal, never one per call.
 */
final class ForcedRefreshPolicy {

	private static final Log logger = LogFactory.getLog(ForcedRefreshPolicy.class);

	private final WeChatMiniAppClient client;

	private ForcedRefreshLedger ledger;

	private int perDay = CachingAccessTokenProvider.DEFAULT_FORCED_REFRESHES_PER_DAY;

	private volatile Refusal refusal;

	ForcedRefreshPolicy(WeChatMiniAppClient client, ForcedRefreshLedger ledger) {
		this.client = client;
		this.ledger = ledger;
	}

	void setLedger(ForcedRefreshLedger ledger) {
		this.ledger = Objects.requireNonNull(ledger, "ledger must not be null");
	}

	void setPerDay(int perDay) {
		if (perDay < 0) {
			throw new IllegalArgumentException("forcedRefreshesPerDay must not be negative");
		}
		this.perDay = perDay;
	}

	/**
	 * Forces a refresh of the token WeChat keeps handing out although it rejected it.
	 * @param handedOut the token WeChat handed back
	 * @param clock the provider's clock
	 * @return the new token
	 * @throws AccessTokenUnavailableException when no forced refresh is possible now or
	 * it failed
	 */
	AccessToken forceRefresh(AccessToken handedOut, Clock clock) {
		Instant now = clock.instant();
		Refusal current = this.refusal;
		if (current != null && current.blocks(handedOut.value(), now)) {
			throw refuse(handedOut, now, current.reason(), current.retryAt(), null);
		}
		ForcedRefreshClaim claim = this.ledger.tryClaimForcedRefresh(now,
				CachingAccessTokenProvider.FORCED_REFRESH_INTERVAL, this.perDay);
		if (claim == ForcedRefreshClaim.TOO_SOON) {
			throw refuse(handedOut, now, Reason.TOO_SOON, now.plus(CachingAccessTokenProvider.FORCED_REFRESH_INTERVAL),
					null);
		}
		if (claim == ForcedRefreshClaim.DAILY_LIMIT_REACHED) {
			throw refuse(handedOut, now, Reason.DAILY_LIMIT_REACHED, LocalForcedRefreshLedger.nextDay(now), null);
		}
		AccessToken forced;
		try {
			forced = this.client.fetchStableAccessToken(true);
		}
		catch (WeChatApiException ex) {
			if (ex.errcode() == WeChatErrorCode.DAILY_LIMIT.code()) {
				Instant nextDay = LocalForcedRefreshLedger.nextDay(now);
				this.ledger.blockForcedRefreshes(nextDay);
				throw refuse(handedOut, now, Reason.DAILY_LIMIT_REACHED, nextDay, ex);
			}
			throw refuse(handedOut, now, Reason.REFRESH_FAILED,
					now.plus(CachingAccessTokenProvider.FORCED_REFRESH_INTERVAL), ex);
		}
		catch (WeChatMiniAppException ex) {
			throw refuse(handedOut, now, Reason.REFRESH_FAILED,
					now.plus(CachingAccessTokenProvider.FORCED_REFRESH_INTERVAL), ex);
		}
		if (forced.value().equals(handedOut.value())) {
			// Someone outside this ledger's count forced a refresh less than 30 s ago:
			// WeChat changed nothing.
			throw refuse(handedOut, now, Reason.TOO_SOON, now.plus(CachingAccessTokenProvider.FORCED_REFRESH_INTERVAL),
					null);
		}
		this.refusal = null;
		logger.warn("WeChat rejected the access token it kept handing out; forced a refresh");
		return forced;
	}

	private AccessTokenUnavailableException refuse(AccessToken handedOut, Instant now, Reason reason, Instant retryAt,
			RuntimeException cause) {
		Refusal previous = this.refusal;
		this.refusal = new Refusal(handedOut.value(), reason, retryAt);
		if (previous == null || !previous.retryAt().equals(retryAt)) {
			logger.warn("WeChat rejects the access token and no forced refresh is possible before " + retryAt + " ("
					+ reason + ((cause != null) ? ": " + cause.getMessage() : "")
					+ "); calls it rejects fail fast until then");
		}
		return new AccessTokenUnavailableException(reason, Duration.between(now, retryAt), cause);
	}

	/**
	 * The refusal that holds for a token now, if any: calls WeChat rejects for that token
	 * fail fast.
	 * @param token the token WeChat rejected, or the kept one
	 * @param now the time now
	 * @return the refusal, or {@code null}
	 */
	Refusal refusalFor(String token, Instant now) {
		Refusal current = this.refusal;
		return (current != null && current.blocks(token, now)) ? current : null;
	}

	/** Not a record: nothing may print the token it holds. */
	static final class Refusal {

		private final String token;

		private final Reason reason;

		private final Instant retryAt;

		Refusal(String token, Reason reason, Instant retryAt) {
			this.token = token;
			this.reason = reason;
			this.retryAt = retryAt;
		}

		Reason reason() {
			return this.reason;
		}

		Instant retryAt() {
			return this.retryAt;
		}

		boolean blocks(String rejectedToken, Instant now) {
			return this.token.equals(rejectedToken) && now.isBefore(this.retryAt);
		}

		AccessTokenUnavailableException exception(Instant now, Throwable cause) {
			return new AccessTokenUnavailableException(this.reason, Duration.between(now, this.retryAt), cause);
		}

	}

}
