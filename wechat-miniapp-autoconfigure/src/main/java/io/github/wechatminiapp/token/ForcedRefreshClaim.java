package io.github.wechatminiapp.token;

/**
 * The answer of an {@link AccessTokenStore} to a request for a forced refresh
 * ({@code force_refresh: true}).
 */
public enum ForcedRefreshClaim {

	/** The caller may force a refresh now; the store has counted it. */
	GRANTED,

	/**
	 * Another forced refresh, on this or another instance, happened less than the
	 * interval ago.
	 */
	TOO_SOON,

	/**
	 * Today's forced refreshes (WeChat's day, UTC+8) are used up, or WeChat refused one
	 * with 45009.
	 */
	DAILY_LIMIT_REACHED

}
