package io.github.wechatminiapp.opendata;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;

/**
 * Told each time open data is rejected (the phone number's or any other), with the
 * diagnosed reason; for metrics. Never given the data, the key or the user.
 */
@FunctionalInterface
public interface OpenDataRejectionListener {

	/** A listener that does nothing. */
	OpenDataRejectionListener NONE = (reason) -> {
	};

	/**
	 * Open data was rejected.
	 * @param reason why
	 */
	void rejected(Reason reason);

	/**
	 * Open data was refused because the user must log in again: no key stored, the data
	 * fits none of the user's keys, or the failure budget is spent (each refusal past it
	 * included). Does nothing unless overridden.
	 * @param reason why
	 */
	default void loginRequired(LoginRequiredException.Reason reason) {
	}

	/**
	 * This listener as told by one app's service, when several apps are served; a
	 * listener that counts by app overrides it.
	 * @param appId the app whose rejections the returned listener is told
	 * @return a listener for that app; this one unless overridden
	 */
	default OpenDataRejectionListener forApp(String appId) {
		return this;
	}

}
