package io.github.wechatminiapp.phone;

import io.github.wechatminiapp.crypto.OpenDataException.Reason;

/**
 * Told each time {@link PhoneNumberService} rejects open data, with the diagnosed reason; for metrics. Never given
 * the data, the key or the user.
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

}
