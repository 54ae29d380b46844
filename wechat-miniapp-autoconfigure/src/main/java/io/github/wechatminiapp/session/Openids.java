package io.github.wechatminiapp.session;

import io.github.wechatminiapp.InvalidInputException;

/**
 * The one rule for an openid a caller hands over, the key of every user's stored data: 1
 * to {@value #MAX_LENGTH} characters, not blank. Bounded before any store is asked.
 */
public final class Openids {

	/** The longest openid accepted. */
	public static final int MAX_LENGTH = 128;

	private Openids() {
	}

	/**
	 * Whether the value can be an openid.
	 * @param openid the value
	 * @return true when it is 1 to {@value #MAX_LENGTH} characters and not blank
	 */
	public static boolean isValid(String openid) {
		return openid != null && !openid.isBlank() && openid.length() <= MAX_LENGTH;
	}

	/**
	 * Refuses a value that cannot be an openid.
	 * @param openid the value
	 * @throws InvalidInputException if it cannot
	 */
	public static void require(String openid) {
		if (!isValid(openid)) {
			throw new InvalidInputException("openid must be 1 to " + MAX_LENGTH + " characters");
		}
	}

}
