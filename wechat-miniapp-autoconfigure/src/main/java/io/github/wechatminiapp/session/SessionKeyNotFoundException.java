package io.github.wechatminiapp.session;

import io.github.wechatminiapp.crypto.OpenDataException;

/**
 * No session key is stored for the user: it expired, was evicted, or the user never logged in on this server.
 * The caller should ask the mini program to log in again ({@code wx.login}, then the login endpoint). Its
 * {@link #reason()} is {@link OpenDataException.Reason#NO_SESSION_KEY}.
 */
public class SessionKeyNotFoundException extends OpenDataException {

	private static final long serialVersionUID = 1L;

	public SessionKeyNotFoundException() {
		super(Reason.NO_SESSION_KEY, "No session key is stored for this user; log the user in again with wx.login");
	}

}
