package io.github.wechatminiapp.test;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * WeChat's error codes and messages, and the body it sends with them.
 */
final class WeChatErrors {

	static final int SYSTEM_ERROR = -1;

	static final int INVALID_CREDENTIAL = 40001;

	static final int INVALID_GRANT_TYPE = 40002;

	static final int INVALID_OPENID = 40003;

	static final int INVALID_APPID = 40013;

	static final int INVALID_CODE = 40029;

	static final int INVALID_APPSECRET = 40125;

	static final int CODE_BEEN_USED = 40163;

	static final int ACCESS_TOKEN_MISSING = 41001;

	static final int APPID_MISSING = 41002;

	static final int APPSECRET_MISSING = 41004;

	static final int CODE_MISSING = 41008;

	static final int ACCESS_TOKEN_EXPIRED = 42001;

	static final int REQUIRE_POST = 43002;

	static final int DAILY_LIMIT = 45009;

	static final int DATA_FORMAT_ERROR = 47001;

	static final int INVALID_SIG_METHOD = 87008;

	static final int INVALID_SIGNATURE = 87009;

	private static final Map<Integer, String> MESSAGES = Map.ofEntries(Map.entry(SYSTEM_ERROR, "system error"),
			Map.entry(INVALID_CREDENTIAL, "invalid credential, access_token is invalid or not latest"),
			Map.entry(INVALID_GRANT_TYPE, "invalid grant_type"), Map.entry(INVALID_OPENID, "invalid openid"),
			Map.entry(INVALID_APPID, "invalid appid"), Map.entry(INVALID_CODE, "invalid code"),
			Map.entry(INVALID_APPSECRET, "invalid appsecret"), Map.entry(CODE_BEEN_USED, "code been used"),
			Map.entry(40164, "invalid ip, not in whitelist"), Map.entry(40226, "high risk user, login blocked"),
			Map.entry(ACCESS_TOKEN_MISSING, "access_token missing"), Map.entry(APPID_MISSING, "appid missing"),
			Map.entry(APPSECRET_MISSING, "appsecret missing"), Map.entry(CODE_MISSING, "missing code"),
			Map.entry(ACCESS_TOKEN_EXPIRED, "access_token expired"), Map.entry(REQUIRE_POST, "require POST method"),
			Map.entry(DAILY_LIMIT, "reach max api daily quota limit"),
			Map.entry(45011, "api minute-quota reach limit  mustslower  retry next minute"),
			Map.entry(DATA_FORMAT_ERROR, "data format error"), Map.entry(INVALID_SIG_METHOD, "invalid sig_method"),
			Map.entry(INVALID_SIGNATURE, "invalid signature"));

	private WeChatErrors() {
	}

	static String message(int errcode) {
		return MESSAGES.getOrDefault(errcode, "error " + errcode);
	}

	static Map<String, Object> body(int errcode) {
		return body(errcode, message(errcode));
	}

	/**
	 * WeChat appends a request id to every error message; clients that compare errmsg
	 * verbatim break against the real API, so the sandbox does the same.
	 * @param errcode the errcode WeChat answers
	 * @param errmsg the errmsg WeChat answers, without the request id
	 * @return the error body
	 */
	static Map<String, Object> body(int errcode, String errmsg) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("errcode", errcode);
		body.put("errmsg", errmsg + ", rid: " + SandboxRandom.rid());
		return body;
	}

	static Map<String, Object> ok() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("errcode", 0);
		body.put("errmsg", "ok");
		return body;
	}

}
