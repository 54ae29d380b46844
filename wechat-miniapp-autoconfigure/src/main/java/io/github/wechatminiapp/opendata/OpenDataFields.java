package io.github.wechatminiapp.opendata;

import io.github.wechatminiapp.crypto.OpenDataException;
import tools.jackson.core.JsonParser;

/**
 * Binds the fields of one kind of open-data payload as {@link OpenDataReader} meets them,
 * straight from the parser: no tree, no second pass. One instance per payload read.
 *
 * @param <T> the payload type
 */
public interface OpenDataFields<T> {

	/**
	 * Reads the value of one of the payload's top-level fields; the reader has already
	 * dealt with the watermark and checked any {@code openid}. A field the payload does
	 * not want is skipped ({@link JsonParser#skipChildren()}).
	 * @param name the field's name
	 * @param parser the parser, on the value's first token
	 * @throws OpenDataException with {@link OpenDataException.Reason#INVALID_PAYLOAD} for
	 * a value of the wrong shape
	 */
	void field(String name, JsonParser parser);

	/**
	 * The payload, once the whole object was read.
	 * @return the payload
	 * @throws OpenDataException with {@link OpenDataException.Reason#INVALID_PAYLOAD}
	 * when a field it needs is missing or the fields do not agree
	 */
	T result();

	/**
	 * A string or a number as text (WeChat writes some numbers either way); {@code null}
	 * for a JSON null.
	 * @param parser the parser, on the value's first token
	 * @return the text, or {@code null}
	 * @throws OpenDataException with {@link OpenDataException.Reason#INVALID_PAYLOAD} for
	 * an object or an array
	 */
	static String text(JsonParser parser) {
		return switch (parser.currentToken()) {
			case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> parser.getString();
			case VALUE_NULL -> null;
			default -> throw new OpenDataException(OpenDataException.Reason.INVALID_PAYLOAD);
		};
	}

	/**
	 * A whole number that fits an {@code int}, or one written as a string; 0 for a JSON
	 * null, as a record's {@code int} component would be.
	 * @param parser the parser, on the value's first token
	 * @return the number
	 * @throws OpenDataException with {@link OpenDataException.Reason#INVALID_PAYLOAD} for
	 * anything else
	 */
	static int integer(JsonParser parser) {
		long value = longInteger(parser);
		if (value != (int) value) {
			throw new OpenDataException(OpenDataException.Reason.INVALID_PAYLOAD);
		}
		return (int) value;
	}

	/**
	 * A whole number that fits a {@code long}, or one written as a string; 0 for a JSON
	 * null.
	 * @param parser the parser, on the value's first token
	 * @return the number
	 * @throws OpenDataException with {@link OpenDataException.Reason#INVALID_PAYLOAD} for
	 * anything else
	 */
	static long longInteger(JsonParser parser) {
		switch (parser.currentToken()) {
			case VALUE_NUMBER_INT -> {
				if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
					throw new OpenDataException(OpenDataException.Reason.INVALID_PAYLOAD);
				}
				return parser.getLongValue();
			}
			case VALUE_NULL -> {
				return 0;
			}
			case VALUE_STRING -> {
				try {
					return Long.parseLong(parser.getString());
				}
				catch (NumberFormatException ex) {
					throw new OpenDataException(OpenDataException.Reason.INVALID_PAYLOAD);
				}
			}
			default -> throw new OpenDataException(OpenDataException.Reason.INVALID_PAYLOAD);
		}
	}

}
