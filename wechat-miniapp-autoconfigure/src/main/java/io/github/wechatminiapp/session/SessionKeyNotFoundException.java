package io.github.wechatminiapp.session;

import io.github.wechatminiapp.LoginRequiredException;

/**
 * No session key is stored for the user: it expired, was evicted, or the user never
 * logged in on this server. The caller should ask the mini program to log in again
 * ({@code wx.login}, then the login endpoint). Its {@link #reason()} is
 * {@link LoginRequiredException.Reason#NO_SESSION_KEY}. Expected on every request of a
 * user whose session lapsed, so it carries no stack trace.
 */
public class SessionKeyNotFoundException extends LoginRequiredException {

	private static final long serialVersionUID = 1L;

	public SessionKeyNotFoundException() {
		super(Reason.NO_SESSION_KEY, "No session key is stored for this user; log the user in again with wx.login",
				false);
	}

}
