package io.github.wechatminiapp.security;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where bearer tokens are kept, by the SHA-256 of the token (hex): in this JVM
 * ({@link CaffeineMiniAppBearerTokenStore}) or in Redis, shared by every instance
 * ({@link RedisMiniAppBearerTokenStore}). Failures throw
 * {@link io.github.wechatminiapp.StoreAccessException}.
 */
public interface MiniAppBearerTokenStore {

	/**
	 * Keeps a new token.
	 * @param tokenHash the token's hash
	 * @param record what the token stands for
	 * @param timeToLive how long to keep it
	 */
	void save(String tokenHash, MiniAppBearerTokenRecord record, Duration timeToLive);

	/**
	 * Replaces a token's record only while the token is still there, so that extending a
	 * token's sliding lifetime never brings back a token revoked meanwhile.
	 * @param tokenHash the token's hash
	 * @param record the new record
	 * @param timeToLive how long to keep it
	 */
	void replaceIfPresent(String tokenHash, MiniAppBearerTokenRecord record, Duration timeToLive);

	/**
	 * The record of a token.
	 * @param tokenHash the token's hash
	 * @return the record, or empty when unknown, expired or revoked
	 */
	Optional<MiniAppBearerTokenRecord> find(String tokenHash);

	/**
	 * Forgets a token.
	 * @param tokenHash the token's hash
	 */
	void remove(String tokenHash);

	/**
	 * The live tokens of one user, oldest first, so that a limit of tokens per user can
	 * revoke the oldest.
	 * @param appId the user's app
	 * @param openid the user's openid
	 * @return the hashes of the user's tokens that are still kept, oldest first
	 */
	List<String> findTokenHashes(String appId, String openid);

	/**
	 * Forgets every token of one user.
	 * @param appId the user's app
	 * @param openid the user's openid
	 */
	void removeAll(String appId, String openid);

}
