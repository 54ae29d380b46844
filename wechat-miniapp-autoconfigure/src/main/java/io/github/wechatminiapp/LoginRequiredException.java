package io.github.wechatminiapp;

/**
 * The user must log in again ({@code wx.login}, then the login endpoint) before the
 * request can succeed: no session key is stored for the user, the user's keys were spent
 * by the failure budget, or the data was encrypted under a session key this server never
 * saw. The message never shows a key.
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
	 * For refusals expected on every bad request (a spent budget, a key never seen), made
	 * without a stack trace.
	 * @param reason why a new login is needed
	 * @param message what happened, without any key or secret
	 * @param writableStackTrace whether the stack trace is filled in
	 */
	protected LoginRequiredException(Reason reason, String message, boolean writableStackTrace) {
		super(message, writableStackTrace);
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

		/**
		 * No session key is stored for the user: it expired, was evicted, or the user
		 * never logged in here.
		 */
		NO_SESSION_KEY,

		/**
		 * The user's failure budget is spent; the keys were dropped and stay unusable
		 * until a new login.
		 */
		FAILURE_BUDGET_EXHAUSTED,

		/**
		 * The data was encrypted under a session key this server does not hold (WeChat
		 * rotated it).
		 */
		UNKNOWN_SESSION_KEY

	}

}
