package io.github.wechatminiapp.token;

import java.util.Optional;

/**
 * Where the access token is kept: this JVM's memory by default, a shared store when
 * several instances must use one token.
 * <p>
 * A store shared by several instances should also be an {@link AccessTokenLock}, so that
 * one instance at a time fetches a new token, and a {@link ForcedRefreshLedger}, so that
 * every instance counts forced refreshes against one daily budget. A store that is
 * neither still works: {@link CachingAccessTokenProvider} then lets one thread of each
 * JVM fetch, and counts forced refreshes in each JVM, so N instances may force up to N
 * times the budget.
 */
public interface AccessTokenStore {

	/**
	 * The token kept now.
	 * @return the token, or empty
	 */
	Optional<CachedAccessToken> get();

	/**
	 * Keeps a new token, unless the kept one expires later: a writer that fetched its
	 * token before another instance's refresh, and answers late, never replaces the newer
	 * token.
	 * @param token the token
	 */
	void put(CachedAccessToken token);

	/**
	 * Forgets the kept token if it is the given one.
	 * @param value the token value WeChat rejected
	 */
	void evict(String value);

}
