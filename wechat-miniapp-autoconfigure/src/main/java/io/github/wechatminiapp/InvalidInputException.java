package io.github.wechatminiapp;

/**
 * An argument coming from the client (a code, an openid) is missing or malformed; nothing
 * was sent to WeChat.
 */
public class InvalidInputException extends WeChatMiniAppException {

	private static final long serialVersionUID = 1L;

	public InvalidInputException(String message) {
		super(message);
	}

	/**
	 * For refusals expected on every bad request, made without a stack trace.
	 * @param message what was wrong, never the value itself
	 * @param writableStackTrace whether the stack trace is filled in
	 */
	protected InvalidInputException(String message, boolean writableStackTrace) {
		super(message, writableStackTrace);
	}

}
