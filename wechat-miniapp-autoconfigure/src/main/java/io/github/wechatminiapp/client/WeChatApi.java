package io.github.wechatminiapp.client;

/**
 * The WeChat server APIs the client calls.
 */
public enum WeChatApi {

	/** {@code GET /sns/jscode2session}: exchanges a {@code wx.login} code. */
	JSCODE2SESSION("jscode2session", false),

	/** {@code GET /cgi-bin/token}: a new access token, invalidating the previous one. */
	TOKEN("token", true),

	/** {@code POST /cgi-bin/stable_token}: the shared access token. */
	STABLE_TOKEN("stable_token", true),

	/** {@code POST /wxa/business/getuserphonenumber}: exchanges a one-time phone code. */
	GET_USER_PHONE_NUMBER("getuserphonenumber", true),

	/** {@code GET /wxa/checksession}: whether a stored session key is still current. */
	CHECK_SESSION("checksession", true),

	/** {@code GET /wxa/resetusersessionkey}: asks WeChat for a new session key. */
	RESET_USER_SESSION_KEY("resetusersessionkey", false),

	/**
	 * Any other server API, called through {@link WeChatMiniAppClient#postForJson} and
	 * its siblings; not retried when busy, since the call may have taken effect (a
	 * message sent, a code generated).
	 */
	OTHER("other", false);

	private final String apiName;

	private final boolean retriedWhenBusy;

	WeChatApi(String apiName, boolean retriedWhenBusy) {
		this.apiName = apiName;
		this.retriedWhenBusy = retriedWhenBusy;
	}

	/**
	 * The short name WeChat's documentation uses, also used in messages and metric tags.
	 * @return the API name
	 */
	public String apiName() {
		return this.apiName;
	}

	/**
	 * Whether a "system busy" ({@code -1}) answer is retried. A login code is never sent
	 * twice, and a session key reset is not repeated, since either may already have taken
	 * effect.
	 * @return whether busy answers are retried
	 */
	public boolean retriedWhenBusy() {
		return this.retriedWhenBusy;
	}

}
