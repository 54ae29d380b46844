package io.github.wechatminiapp.client;

import io.github.wechatminiapp.crypto.Watermark;
import org.jspecify.annotations.Nullable;

/**
 * The {@code phone_info} of a getuserphonenumber answer.
 *
 * @param phoneNumber the number, with the country code for foreign numbers
 * @param purePhoneNumber the number without country code
 * @param countryCode the country code, e.g. {@code 86}
 * @param watermark the app id and the time the user tapped the button
 */
public record PhoneInfo(String phoneNumber, String purePhoneNumber, String countryCode, Watermark watermark) {

	@Override
	public String toString() {
		return "PhoneInfo[phoneNumber=" + mask(this.phoneNumber) + ", purePhoneNumber=" + mask(this.purePhoneNumber)
				+ ", countryCode=" + this.countryCode + ", watermark=" + this.watermark + "]";
	}

	/**
	 * Masks all but the last four characters of a phone number.
	 * @param number the number, may be null
	 * @return the masked number
	 */
	@Nullable public static String mask(@Nullable String number) {
		if (number == null) {
			return null;
		}
		int visible = Math.min(4, number.length() / 2);
		return "*".repeat(number.length() - visible) + number.substring(number.length() - visible);
	}

}
