package io.github.wechatminiapp.opendata;

import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.opendata.StrictJson.Token;
import org.jspecify.annotations.Nullable;

/**
 * Binds the fields of one kind of open-data payload as {@link OpenDataReader} meets them,
 * straight from the {@link StrictJson} reader: no tree, no second pass. One instance per
 * payload read.
 *
 * @param <T> the payload type
 */
public interface OpenDataFields<T> {

	/**
	 * Reads the value of one of the payload's top-level fields; the reader has already
	 * dealt with the watermark and checked any {@code openid}. A field the payload does
	 * not want is skipped ({@link StrictJson#skipChildren()}).
	 * @param name the field's name
	 * @param json the reader, on the value's first token
	 * @throws OpenDataException with {@link Reason#INVALID_PAYLOAD} for a value of the
	 * wrong shape
	 */
	void field(String name, StrictJson json);

	/**
	 * The payload, once the whole object was read.
	 * @return the payload
	 * @throws OpenDataException with {@link Reason#INVALID_PAYLOAD} when a field it needs
	 * is missing or the fields do not agree
	 */
	T result();

	/**
	 * A string or a number as text (WeChat writes some numbers either way); {@code null}
	 * for a JSON null.
	 * @param json the reader, on the value's first token
	 * @return the text, or {@code null}
	 * @throws OpenDataException with {@link Reason#INVALID_PAYLOAD} for an object or an
	 * array
	 */
	static @Nullable String text(StrictJson json) {
		Token token = json.token();
		if (token == Token.START_OBJECT || token == Token.START_ARRAY) {
			throw new OpenDataException(Reason.INVALID_PAYLOAD);
		}
		return json.string();
	}

	/**
	 * A whole number that fits an {@code int}, or one written as a string; 0 for a JSON
	 * null, as a record's {@code int} component would be.
	 * @param json the reader, on the value's first token
	 * @return the number
	 * @throws OpenDataException with {@link Reason#INVALID_PAYLOAD} for anything else
	 */
	static int integer(StrictJson json) {
		long value = longInteger(json);
		if (value != (int) value) {
			throw new OpenDataException(Reason.INVALID_PAYLOAD);
		}
		return (int) value;
	}

	/**
	 * A whole number that fits a {@code long}, or one written as a string; 0 for a JSON
	 * null.
	 * @param json the reader, on the value's first token
	 * @return the number
	 * @throws OpenDataException with {@link Reason#INVALID_PAYLOAD} for anything else
	 */
	static long longInteger(StrictJson json) {
		Token token = json.token();
		if (token == Token.NUMBER && json.isLong()) {
			return json.longValue();
		}
		if (token == Token.NULL) {
			return 0;
		}
		if (token == Token.STRING) {
			try {
				return Long.parseLong(json.string());
			}
			catch (NumberFormatException ex) {
				throw new OpenDataException(Reason.INVALID_PAYLOAD);
			}
		}
		throw new OpenDataException(Reason.INVALID_PAYLOAD);
	}

}
