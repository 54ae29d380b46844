package io.github.wechatminiapp.client;

import io.github.wechatminiapp.RetryLaterException;

/**
 * WeChat could not be reached or answered something that is not a WeChat API response: an
 * I/O error, a timeout, an HTTP error status, an empty or malformed body. The message
 * never contains the request URL, which carries the app secret or an access token.
 */
public class WeChatCommunicationException extends RetryLaterException {

	private static final long serialVersionUID = 1L;

	private final WeChatApi api;

	private final Kind kind;

	public WeChatCommunicationException(WeChatApi api, Kind kind, String problem) {
		super("WeChat " + api.apiName() + " failed: " + problem, DEFAULT_RETRY_AFTER, null);
		this.api = api;
		this.kind = kind;
	}

	/**
	 * The API that failed.
	 * @return the API
	 */
	public WeChatApi api() {
		return this.api;
	}

	/**
	 * What went wrong, for mapping to a status or a metric.
	 * @return the kind of failure
	 */
	public Kind kind() {
		return this.kind;
	}

	/**
	 * Kinds of communication failure.
	 */
	public enum Kind {

		/** WeChat did not answer within the read or connect timeout. */
		TIMEOUT,

		/** The connection failed or broke. */
		IO_ERROR,

		/** WeChat (or a proxy in front of it) answered an HTTP error status. */
		HTTP_STATUS,

		/** The answer was empty, not JSON, too large, or lacked what the API promises. */
		INVALID_ANSWER

	}

}
