package io.github.wechatminiapp;

/**
 * An argument coming from the client (a code, an openid) is missing or malformed; nothing was sent to WeChat.
 */
public class InvalidInputException extends WeChatMiniAppException {

	private static final long serialVersionUID = 1L;

	public InvalidInputException(String message) {
		super(message);
	}

}
