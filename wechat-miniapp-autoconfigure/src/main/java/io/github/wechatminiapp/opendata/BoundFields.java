package io.github.wechatminiapp.opendata;

import java.math.BigDecimal;
import java.math.BigInteger;

import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.opendata.StrictJson.Token;
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
	public void field(String name, StrictJson json) {
		this.tokens.writeName(name);
		Token token = json.token();
		int open = 0;
		while (true) {
			switch (token) {
				case START_OBJECT -> {
					this.tokens.writeStartObject();
					open++;
				}
				case START_ARRAY -> {
					this.tokens.writeStartArray();
					open++;
				}
				case END_OBJECT -> {
					this.tokens.writeEndObject();
					open--;
				}
				case END_ARRAY -> {
					this.tokens.writeEndArray();
					open--;
				}
				case NAME -> this.tokens.writeName(json.name());
				case STRING -> this.tokens.writeString(json.string());
				case NUMBER -> writeNumber(json);
				case TRUE, FALSE -> this.tokens.writeBoolean(token == Token.TRUE);
				default -> this.tokens.writeNull();
			}
			if (open == 0) {
				return;
			}
			token = json.next();
		}
	}

	private void writeNumber(StrictJson json) {
		if (json.isLong()) {
			this.tokens.writeNumber(json.longValue());
		}
		else if (json.isIntegral()) {
			this.tokens.writeNumber(new BigInteger(json.string()));
		}
		else {
			this.tokens.writeNumber(new BigDecimal(json.string()));
		}
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
