package io.github.wechatminiapp.security;

import java.util.Collection;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * An authenticated mini program user: the {@link MiniAppPrincipal} and the authorities
 * granted at login. The bearer token itself is not kept: {@link #getCredentials()} is
 * always {@code null}.
 */
public final class MiniAppAuthenticationToken extends AbstractAuthenticationToken {

	private static final long serialVersionUID = 1L;

	private final MiniAppPrincipal principal;

	/**
	 * Creates an authenticated token.
	 * @param principal the user
	 * @param authorities what the user may do
	 */
	public MiniAppAuthenticationToken(MiniAppPrincipal principal, Collection<? extends GrantedAuthority> authorities) {
		super(authorities);
		this.principal = principal;
		setAuthenticated(true);
	}

	@Override
	public MiniAppPrincipal getPrincipal() {
		return this.principal;
	}

	@Override
	@Nullable public Object getCredentials() {
		return null;
	}

	@Override
	public String getName() {
		return this.principal.openid();
	}

}
