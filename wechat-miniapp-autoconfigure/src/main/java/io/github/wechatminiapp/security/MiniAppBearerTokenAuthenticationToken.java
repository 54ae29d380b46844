package io.github.wechatminiapp.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * A bearer token as the client sent it, not yet authenticated. {@link #toString()} never
 * shows it.
 */
final class MiniAppBearerTokenAuthenticationToken extends AbstractAuthenticationToken {

	private static final long serialVersionUID = 1L;

	private final String token;

	MiniAppBearerTokenAuthenticationToken(String token) {
		super(AuthorityUtils.NO_AUTHORITIES);
		this.token = token;
	}

	String token() {
		return this.token;
	}

	@Override
	public String getPrincipal() {
		return "";
	}

	@Override
	public String getCredentials() {
		return this.token;
	}

	@Override
	public String toString() {
		return "MiniAppBearerTokenAuthenticationToken[token=******]";
	}

}
