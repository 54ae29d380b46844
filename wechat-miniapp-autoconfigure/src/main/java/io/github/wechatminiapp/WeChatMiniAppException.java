package io.github.wechatminiapp;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception thrown by the WeChat Mini Program starter. Unchecked, so
 * callers handle only what they can act on.
 */
public class WeChatMiniAppException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public WeChatMiniAppException(String message) {
		super(message);
	}

	public WeChatMiniAppException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

	/**
	 * For expected refusals that happen on every bad request (an attacker's included):
	 * without a stack trace they cost no more than an answer.
	 * @param message what happened, without any key or secret
	 * @param writableStackTrace whether the stack trace is filled in
	 */
	protected WeChatMiniAppException(String message, boolean writableStackTrace) {
		super(message, null, false, writableStackTrace);
	}

}
