package io.github.wechatminiapp.phone;

import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.opendata.OpenDataFields;
import tools.jackson.core.JsonParser;

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
	public void field(String name, JsonParser parser) {
		switch (name) {
			case "phoneNumber" -> this.phoneNumber = nonEmpty(parser);
			case "purePhoneNumber" -> this.purePhoneNumber = nonEmpty(parser);
			case "countryCode" -> this.countryCode = nonEmpty(parser);
			default -> parser.skipChildren();
		}
	}

	/**
	 * A string or a whole number as text (WeChat writes countryCode either way); anything
	 * else is absent.
	 * @param parser the parser, on the field's value
	 * @return the value's text, or {@code null} when it is empty or of another type
	 */
	private static String nonEmpty(JsonParser parser) {
		return switch (parser.currentToken()) {
			case VALUE_STRING, VALUE_NUMBER_INT -> {
				String text = parser.getString();
				yield text.isEmpty() ? null : text;
			}
			default -> {
				parser.skipChildren();
				yield null;
			}
		};
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
