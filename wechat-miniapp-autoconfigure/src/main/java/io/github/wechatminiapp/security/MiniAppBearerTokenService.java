package io.github.wechatminiapp.security;

import java.util.Collection;
import java.util.Optional;

import org.springframework.security.core.GrantedAuthority;

/**
 * Issues, checks and revokes the bearer tokens of logged-in users. The default keeps
 * opaque random tokens in a {@link MiniAppBearerTokenStore}; an application may declare
 * its own bean instead (JWT, say, if revocation does not matter to it).
 */
public interface MiniAppBearerTokenService {

	/**
	 * Issues a token for a user who has just logged in.
	 * @param principal the user
	 * @param authorities the user's authorities, kept with the token
	 * @return the token and its lifetime
	 * @throws io.github.wechatminiapp.StoreAccessException if the token store failed
	 * (answered 503)
	 */
	MiniAppBearerToken issue(MiniAppPrincipal principal, Collection<? extends GrantedAuthority> authorities);

	/**
	 * The user a token stands for, if it is valid: issued here, not expired, not revoked.
	 * @param token the bearer token, as the client sent it
	 * @return the authentication, or empty for an invalid token
	 * @throws io.github.wechatminiapp.StoreAccessException if the token store failed
	 * (answered 503, never authenticated)
	 */
	Optional<MiniAppAuthenticationToken> authenticate(String token);

	/**
	 * Revokes a token; nothing happens for an unknown one.
	 * @param token the bearer token
	 * @throws io.github.wechatminiapp.StoreAccessException if the token store failed
	 */
	void revoke(String token);

	/**
	 * Revokes every token of one user: the user's session with this backend is over (the
	 * failure budget dropped the session keys, the key was reset, the account was
	 * closed).
	 * @param appId the user's app
	 * @param openid the user's openid
	 * @throws io.github.wechatminiapp.StoreAccessException if the token store failed
	 */
	void revokeAll(String appId, String openid);

}
