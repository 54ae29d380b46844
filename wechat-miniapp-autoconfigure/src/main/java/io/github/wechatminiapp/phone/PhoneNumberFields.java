package io.github.wechatminiapp.phone;

import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.opendata.OpenDataFields;
import io.github.wechatminiapp.opendata.StrictJson;
import io.github.wechatminiapp.opendata.StrictJson.Token;

/**
 * The phone number's payload, bound as it is read. WeChat always sends all three fields,
 * consistent: {@code phoneNumber} is {@code purePhoneNumber}, with the country code for
 * foreign numbers. Anything else was garbled, e.g. by an iv tampered with.
 */
final class PhoneNumberFields implements OpenDataFields<PhoneNumber> {

	private String phoneNumber;

	private String purePhoneNumber;

	private String countryCode;

	@Override
	public void field(String name, StrictJson json) {
		switch (name) {
			case "phoneNumber" -> this.phoneNumber = nonEmpty(json);
			case "purePhoneNumber" -> this.purePhoneNumber = nonEmpty(json);
			case "countryCode" -> this.countryCode = nonEmpty(json);
			default -> json.skipChildren();
		}
	}

	/**
	 * A string or a whole number as text (WeChat writes countryCode either way); anything
	 * else is absent.
	 * @param json the reader, on the field's value
	 * @return the value's text, or {@code null} when it is empty or of another type
	 */
	private static String nonEmpty(StrictJson json) {
		Token token = json.token();
		if (token == Token.STRING || (token == Token.NUMBER && json.isIntegral())) {
			String text = json.string();
			return text.isEmpty() ? null : text;
		}
		json.skipChildren();
		return null;
	}

	@Override
	public PhoneNumber result() {
		if (this.phoneNumber == null || this.purePhoneNumber == null || this.countryCode == null
				|| !this.phoneNumber.endsWith(this.purePhoneNumber)) {
			throw new OpenDataException(Reason.INVALID_PAYLOAD);
		}
		return new PhoneNumber(this.phoneNumber, this.purePhoneNumber, this.countryCode);
	}

}
