package io.github.wechatminiapp;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception thrown by the WeChat Mini Program starter. Unchecked, so callers handle only what
 * they can act on.
 */
public class WeChatMiniAppException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public WeChatMiniAppException(String message) {
		super(message);
	}

	public WeChatMiniAppException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
