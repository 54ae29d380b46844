package io.github.wechatminiapp.token;

/**
 * Told of every failed fetch of an access token, for metrics. Called on the fetching
 * thread; must not block.
 */
@FunctionalInterface
public interface AccessTokenFetchListener {

	/** Does nothing. */
	AccessTokenFetchListener NONE = (appId, failure) -> {
	};

	/**
	 * A fetch failed.
	 * @param appId the app whose token was fetched
	 * @param failure what failed, holding no secret
	 */
	void fetchFailed(String appId, AccessTokenStatus.Failure failure);

}
