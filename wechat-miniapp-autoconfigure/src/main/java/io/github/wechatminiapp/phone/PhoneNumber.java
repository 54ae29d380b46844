package io.github.wechatminiapp.phone;

import io.github.wechatminiapp.client.PhoneInfo;

/**
 * A user's verified phone number. {@link #toString()} shows only the last four digits.
 *
 * @param phoneNumber the number, with the country code for foreign numbers
 * @param purePhoneNumber the number without country code
 * @param countryCode the country code, e.g. {@code 86}
 */
public record PhoneNumber(String phoneNumber, String purePhoneNumber, String countryCode) {

	@Override
	public String toString() {
		return "PhoneNumber[phoneNumber=" + PhoneInfo.mask(this.phoneNumber) + ", purePhoneNumber="
				+ PhoneInfo.mask(this.purePhoneNumber) + ", countryCode=" + this.countryCode + "]";
	}

}
