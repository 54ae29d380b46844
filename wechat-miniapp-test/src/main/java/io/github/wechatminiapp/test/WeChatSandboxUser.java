package io.github.wechatminiapp.test;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A WeChat user known to a {@link WeChatSandbox}: the identifiers WeChat gives the server
 * and the phone number the user would share.
 *
 * @param openid the user's id within the mini program
 * @param unionid the user's id across the Open Platform account, or {@code null} when the
 * app is not bound
 * @param purePhoneNumber the phone number without country code, digits only
 * @param countryCode the country calling code without {@code +}, such as {@code 86}
 */
public record WeChatSandboxUser(String openid, @Nullable String unionid, String purePhoneNumber, String countryCode) {

	/**
	 * Rejects what WeChat never sends (blank openid, non-digit numbers), so a test's typo
	 * fails at once.
	 * @param openid the user's id within the mini program
	 * @param unionid the user's id across the Open Platform account, or {@code null}
	 * @param purePhoneNumber the phone number without country code, digits only
	 * @param countryCode the country calling code, digits only
	 * @throws IllegalArgumentException when openid is blank or the phone number or
	 * country code are not digits
	 */
	public WeChatSandboxUser {
		Objects.requireNonNull(openid, "openid");
		Objects.requireNonNull(purePhoneNumber, "purePhoneNumber");
		Objects.requireNonNull(countryCode, "countryCode");
		if (openid.isBlank()) {
			throw new IllegalArgumentException("openid must not be blank");
		}
		if (!isDigits(purePhoneNumber)) {
			throw new IllegalArgumentException("purePhoneNumber must be digits only");
		}
		if (!isDigits(countryCode)) {
			throw new IllegalArgumentException("countryCode must be digits only, without '+'");
		}
	}

	/**
	 * The phone number as WeChat shows it: the bare number for China ({@code 86}),
	 * otherwise prefixed with {@code +countryCode} and a space.
	 * @return the display phone number
	 */
	public String phoneNumber() {
		return "86".equals(this.countryCode) ? this.purePhoneNumber
				: "+" + this.countryCode + " " + this.purePhoneNumber;
	}

	/**
	 * Masks all phone digits but the last four, so users printed in test reports do not
	 * leak numbers.
	 */
	@Override
	public String toString() {
		return "WeChatSandboxUser[openid=" + this.openid + ", unionid=" + this.unionid + ", purePhoneNumber="
				+ mask(this.purePhoneNumber) + ", countryCode=" + this.countryCode + "]";
	}

	static String mask(String digits) {
		int visible = Math.min(4, digits.length());
		return "*".repeat(digits.length() - visible) + digits.substring(digits.length() - visible);
	}

	static boolean isDigits(String value) {
		if (value.isEmpty()) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return true;
	}

}
