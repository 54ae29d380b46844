package io.github.wechatminiapp.session;

import io.github.wechatminiapp.WeChatMiniAppException;

/**
 * No session key is stored for the user: it expired, was evicted, or the user never logged in on this server.
 * The caller should ask the mini program to log in again ({@code wx.login}, then the login endpoint).
 */
public class SessionKeyNotFoundException extends WeChatMiniAppException {

	private static final long serialVersionUID = 1L;

	public SessionKeyNotFoundException() {
		super("No session key is stored for this user; log the user in again with wx.login");
	}

}
