package io.github.wechatminiapp.test;

import org.jspecify.annotations.Nullable;

/**
 * The WeChat server APIs that {@link WeChatSandbox} serves, as named in
 * {@link WeChatSandbox#enqueueFault} and {@link WeChatSandbox#requestCount}.
 */
public enum WeChatEndpoint {

	/**
	 * {@code GET /sns/jscode2session}: exchanges a login code for openid and session key.
	 */
	JSCODE2SESSION("/sns/jscode2session"),

	/** {@code GET /cgi-bin/token}: issues a new access token on every call. */
	TOKEN("/cgi-bin/token"),

	/** {@code POST /cgi-bin/stable_token}: the shared, stable access token. */
	STABLE_TOKEN("/cgi-bin/stable_token"),

	/**
	 * {@code POST /wxa/business/getuserphonenumber}: exchanges a phone code for the phone
	 * number.
	 */
	GET_USER_PHONE_NUMBER("/wxa/business/getuserphonenumber"),

	/**
	 * {@code GET /wxa/checksession}: tells whether a session key is the user's current
	 * one.
	 */
	CHECK_SESSION("/wxa/checksession"),

	/** {@code GET /wxa/resetusersessionkey}: issues a new session key for a user. */
	RESET_USER_SESSION_KEY("/wxa/resetusersessionkey"),

	/**
	 * {@code POST /wxa/getwxacodeunlimit}: a mini program code image (PNG) for a
	 * {@code scene}; errors as JSON.
	 */
	GET_WXACODE_UNLIMIT("/wxa/getwxacodeunlimit"),

	/**
	 * {@code POST /wxa/generate_urllink}: a URL link that opens the mini program, as
	 * JSON.
	 */
	GENERATE_URLLINK("/wxa/generate_urllink");

	private final String path;

	WeChatEndpoint(String path) {
		this.path = path;
	}

	/**
	 * The request path of this API, as appended to {@link WeChatSandbox#baseUrl()}.
	 * @return the path, starting with {@code /}
	 */
	public String path() {
		return this.path;
	}

	static @Nullable WeChatEndpoint forPath(String path) {
		for (WeChatEndpoint api : values()) {
			if (api.path.equals(path)) {
				return api;
			}
		}
		return null;
	}

}
