package io.github.wechatminiapp.opendata;

import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.util.TokenBuffer;

/**
 * The fields of a type of the application's, bound by its {@link ObjectReader}: the
 * tokens the strict reader accepted are buffered as they pass (no tree, the bytes parsed
 * once) and bound at the end.
 *
 * @param <T> the application's type the fields are bound to
 */
final class BoundFields<T> implements OpenDataFields<T> {

	private final ObjectReader reader;

	private final TokenBuffer tokens = new TokenBuffer(false);

	BoundFields(ObjectReader reader) {
		this.reader = reader;
		this.tokens.writeStartObject();
	}

	@Override
	public void field(String name, JsonParser parser) {
		this.tokens.writeName(name);
		this.tokens.copyCurrentStructure(parser);
	}

	@Override
	public T result() {
		this.tokens.writeEndObject();
		try (JsonParser parser = this.tokens.asParser(ObjectReadContext.empty())) {
			T value = this.reader.readValue(parser);
			if (value == null) {
				throw new OpenDataException(Reason.INVALID_PAYLOAD);
			}
			return value;
		}
		catch (RuntimeException ex) {
			if (ex instanceof OpenDataException refused) {
				throw refused;
			}
			throw new OpenDataException(Reason.INVALID_PAYLOAD);
		}
	}

}
