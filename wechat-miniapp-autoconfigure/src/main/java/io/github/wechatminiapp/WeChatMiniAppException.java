package io.github.wechatminiapp;

/**
 * Root of every exception thrown by the WeChat Mini Program starter. Unchecked, so callers handle only what
 * they can act on.
 */
public class WeChatMiniAppException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public WeChatMiniAppException(String message) {
		super(message);
	}

	public WeChatMiniAppException(String message, Throwable cause) {
		super(message, cause);
	}

}
