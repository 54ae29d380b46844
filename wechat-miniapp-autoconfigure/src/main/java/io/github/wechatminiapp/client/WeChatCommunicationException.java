package io.github.wechatminiapp.client;

import io.github.wechatminiapp.WeChatMiniAppException;

/**
 * WeChat could not be reached or answered something that is not a WeChat API response: an I/O error, a
 * timeout, an HTTP error status, an empty or malformed body. The message never contains the request URL,
 * which carries the app secret or an access token.
 */
public class WeChatCommunicationException extends WeChatMiniAppException {

	private static final long serialVersionUID = 1L;

	private final WeChatApi api;

	public WeChatCommunicationException(WeChatApi api, String problem) {
		super("WeChat " + api.apiName() + " failed: " + problem);
		this.api = api;
	}

	public WeChatCommunicationException(WeChatApi api, String problem, Throwable cause) {
		super("WeChat " + api.apiName() + " failed: " + problem, cause);
		this.api = api;
	}

	/**
	 * The API that failed.
	 * @return the API
	 */
	public WeChatApi api() {
		return this.api;
	}

}
