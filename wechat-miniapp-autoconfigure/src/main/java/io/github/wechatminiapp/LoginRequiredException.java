package io.github.wechatminiapp;

/**
 * The user must log in again ({@code wx.login}, then the login endpoint) before the request can succeed: no session
 * key is stored for the user, the user's keys were spent by the failure budget, or the data was encrypted under a
 * session key this server never saw. The message never shows a key.
 */
public class LoginRequiredException extends WeChatMiniAppException {

	private static final long serialVersionUID = 1L;

	private final Reason reason;

	/**
	 * Creates the exception.
	 * @param reason why a new login is needed
	 * @param message what happened, without any key or secret
	 */
	public LoginRequiredException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	/**
	 * Why a new login is needed.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

	/**
	 * Why a new login is needed.
	 */
	public enum Reason {

		/** No session key is stored for the user: it expired, was evicted, or the user never logged in here. */
		NO_SESSION_KEY,

		/** The user's failure budget is spent; the keys were dropped and stay unusable until a new login. */
		FAILURE_BUDGET_EXHAUSTED,

		/** The data was encrypted under a session key this server does not hold (WeChat rotated it). */
		UNKNOWN_SESSION_KEY

	}

}
