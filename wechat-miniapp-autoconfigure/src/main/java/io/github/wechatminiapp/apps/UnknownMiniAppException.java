package io.github.wechatminiapp.apps;

import io.github.wechatminiapp.InvalidInputException;

/**
 * No app has this id: it is malformed, or neither the properties nor the
 * {@link MiniAppCredentialsRepository} know it. Nothing was sent to WeChat.
 */
public class UnknownMiniAppException extends InvalidInputException {

	private static final long serialVersionUID = 1L;

	public UnknownMiniAppException(String message) {
		super(message);
	}

}
