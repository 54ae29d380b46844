package io.github.wechatminiapp.apps;

import java.util.regex.Pattern;

import io.github.wechatminiapp.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * The app id and app secret of one mini program, both checked for WeChat's format when created.
 *
 * @param appId "wx" and 16 hexadecimal digits
 * @param appSecret 32 letters and digits; never shown by {@link #toString()}
 */
public record MiniAppCredentials(String appId, String appSecret) {

	private static final Pattern APP_SECRET = Pattern.compile("[0-9a-zA-Z]{32}");

	/**
	 * Checks both formats; a malformed secret is not repeated in the message.
	 * @param appId the app id
	 * @param appSecret the app secret
	 * @throws InvalidInputException if either is malformed
	 */
	public MiniAppCredentials {
		if (!isAppId(appId)) {
			throw new InvalidInputException("an app id is wx followed by 16 hexadecimal digits");
		}
		if (appSecret == null || !APP_SECRET.matcher(appSecret).matches()) {
			throw new InvalidInputException("an app secret is 32 letters and digits");
		}
	}

	/**
	 * Whether a string has the form of an app id; cheap, no lookup.
	 * @param appId the string, may be null
	 * @return true for "wx" and 16 hexadecimal digits
	 */
	public static boolean isAppId(@Nullable String appId) {
		// By hand rather than with the pattern: checked on every request, it allocates nothing.
		if (appId == null || appId.length() != 18 || appId.charAt(0) != 'w' || appId.charAt(1) != 'x') {
			return false;
		}
		for (int i = 2; i < 18; i++) {
			if (!isHexDigit(appId.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isHexDigit(char c) {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

	@Override
	public String toString() {
		return "MiniAppCredentials[appId=" + this.appId + ", appSecret=******]";
	}

}
