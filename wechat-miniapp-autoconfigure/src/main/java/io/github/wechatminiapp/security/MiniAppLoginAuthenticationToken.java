package io.github.wechatminiapp.security;

import io.github.wechatminiapp.apps.MiniApp;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * A login not yet authenticated: the {@code wx.login} code and the app to exchange it
 * with. The code is the credential; {@link #toString()} never shows it.
 */
final class MiniAppLoginAuthenticationToken extends AbstractAuthenticationToken {

	private static final long serialVersionUID = 1L;

	private final transient MiniApp app;

	private final String code;

	MiniAppLoginAuthenticationToken(MiniApp app, String code) {
		super(AuthorityUtils.NO_AUTHORITIES);
		this.app = app;
		this.code = code;
	}

	MiniApp app() {
		return this.app;
	}

	@Override
	public String getPrincipal() {
		return this.app.appId();
	}

	@Override
	public String getCredentials() {
		return this.code;
	}

	@Override
	public String toString() {
		return "MiniAppLoginAuthenticationToken[app=" + this.app.appId() + ", code=******]";
	}

}
