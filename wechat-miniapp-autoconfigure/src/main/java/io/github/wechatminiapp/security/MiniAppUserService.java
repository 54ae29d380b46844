package io.github.wechatminiapp.security;

import java.util.Collection;

import org.springframework.security.core.GrantedAuthority;

/**
 * Maps a successful mini program login to the app's own user: the one bean an application
 * writes, for example to register the user on first login and to load their roles. Called
 * once per login, not per request: the authorities are kept with the bearer token.
 */
@FunctionalInterface
public interface MiniAppUserService {

	/**
	 * The authorities of a user who has just logged in.
	 * @param principal the user WeChat confirmed
	 * @return the user's authorities
	 * @throws org.springframework.security.core.AuthenticationException to refuse the
	 * login (answered 401)
	 */
	Collection<? extends GrantedAuthority> onLogin(MiniAppPrincipal principal);

}
