package io.github.wechatminiapp.client;

/**
 * Told of each answer of WeChat's refused by the API security check, for a metric or an
 * alert.
 */
@FunctionalInterface
public interface ApiSecurityRejectionListener {

	/** A listener that does nothing. */
	ApiSecurityRejectionListener NONE = (appId, api, reason) -> {
	};

	/**
	 * Called once per refused answer, before the exception is thrown.
	 * @param appId the app whose call was answered
	 * @param api the API
	 * @param reason why the answer was refused
	 */
	void rejected(String appId, WeChatApi api, WeChatApiSecurityException.Reason reason);

}
