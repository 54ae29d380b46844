package io.github.wechatminiapp.session;

/**
 * Told each time a user's session key has been reset
 * ({@code PhoneNumberService.resetSessionKey}): WeChat issued a new key and it is stored.
 * Whatever lived as long as the old key ends here; the starter's bearer tokens do, with
 * Spring Security. Never given a key: only whose key it was.
 */
@FunctionalInterface
public interface SessionKeyResetListener {

	/** A listener that does nothing. */
	SessionKeyResetListener NONE = (appId, openid) -> {
	};

	/**
	 * A user's session key was reset: the new key is stored, the old one is the previous
	 * key. Told on the resetting thread, once per successful reset; a refused or failed
	 * reset stores nothing and tells nothing.
	 * @param appId the app whose user it is
	 * @param openid the user
	 */
	void reset(String appId, String openid);

}
