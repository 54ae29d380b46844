package io.github.wechatminiapp.token;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts forced refreshes of the stable token ({@code force_refresh: true}), which WeChat
 * allows 20 times a day and ignores within 30 s of the previous one. A shared
 * {@link AccessTokenStore} offers this capability so that every instance sharing it draws
 * on one budget; for a store without it the provider keeps a
 * {@link LocalForcedRefreshLedger} of its own JVM.
 */
public interface ForcedRefreshLedger {

	/**
	 * Asks to force a refresh. Grants at most one per {@code interval} and {@code perDay}
	 * a day (WeChat's day, UTC+8) for the app, and counts the granted one.
	 * @param now the time now, by the caller's clock
	 * @param interval the least time between two forced refreshes
	 * @param perDay the most forced refreshes a day
	 * @return whether the caller may force a refresh now, or why not
	 */
	ForcedRefreshClaim tryClaimForcedRefresh(Instant now, Duration interval, int perDay);

	/**
	 * Refuses every forced refresh until the given time: WeChat answered 45009 (daily
	 * limit).
	 * @param until when forced refreshes may be tried again
	 */
	void blockForcedRefreshes(Instant until);

}
