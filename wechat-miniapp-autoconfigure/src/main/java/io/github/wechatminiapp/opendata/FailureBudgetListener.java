package io.github.wechatminiapp.opendata;

/**
 * Told each time a user's decryption failure budget runs out (see
 * {@link OpenDataDecryptor}): a padding-oracle attack looks like this, so it is an attack
 * signal for metrics and alerts. Never given the data, the key or the user.
 */
@FunctionalInterface
public interface FailureBudgetListener {

	/** A listener that does nothing. */
	FailureBudgetListener NONE = (appId) -> {
	};

	/**
	 * A user's failure budget ran out; the user's session keys were dropped.
	 * @param appId the app whose user it was
	 */
	void exhausted(String appId);

	/**
	 * A user's failure budget ran out; the user's session keys were dropped. Told the
	 * user, for those who end the user's login with it (the starter's bearer tokens); by
	 * default the same as {@link #exhausted(String)}.
	 * @param appId the app whose user it was
	 * @param openid the user
	 */
	default void exhausted(String appId, String openid) {
		exhausted(appId);
	}

}
