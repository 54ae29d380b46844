package io.github.wechatminiapp.opendata;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.crypto.Watermark;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns decrypted open data into the caller's type, strictly: one JSON object and nothing after it, no name twice
 * in any object at any depth, a watermark for our app that is recent enough, and, when the payload names a user,
 * the user whose key decrypted it. Only then is it bound, with the application's {@link JsonMapper}, unknown
 * fields ignored.
 */
final class OpenDataReader {

	/**
	 * Ours, not the application's: leniency the application may have enabled (comments, single quotes, duplicate
	 * names) must not reach the check. The application's mapper only binds the tree this one accepted.
	 */
	private static final ObjectReader STRICT = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build()
		.readerFor(JsonNode.class);

	private final JsonMapper binder;

	/** One reader per type asked for: looking the deserializer up again on every call costs more than binding. */
	private final Map<Class<?>, ObjectReader> binders = new ConcurrentHashMap<>();

	private final String appId;

	private final Duration watermarkMaxAge;

	private final Clock clock;

	OpenDataReader(JsonMapper binder, String appId, Duration watermarkMaxAge, Clock clock) {
		this.binder = binder;
		this.appId = appId;
		this.watermarkMaxAge = watermarkMaxAge;
		this.clock = clock;
	}

	/**
	 * Reads a payload decrypted with {@code openid}'s key; the plaintext is wiped afterwards.
	 * @throws OpenDataException with {@link Reason#BAD_PADDING} for bytes that are not a JSON object (a key that
	 * does not fit), {@link Reason#INVALID_PAYLOAD} for JSON that is not one unambiguous object of the type, a watermark
	 * reason, or {@link Reason#OPENID_MISMATCH}
	 */
	<T> T read(byte[] plaintext, String openid, Class<T> type) {
		if (plaintext.length == 0 || plaintext[0] != '{') {
			// What a key that does not fit makes of the data, almost always: refused as cheaply as bad padding, not
			// after a parser has built an exception, so valid padding is no slower to refuse than bad.
			Arrays.fill(plaintext, (byte) 0);
			throw new OpenDataException(Reason.BAD_PADDING);
		}
		JsonNode payload;
		try {
			payload = STRICT.readTree(plaintext);
		}
		catch (StreamReadException ex) {
			// Bytes that are not JSON came out of a key that does not fit the data, whatever the padding said.
			throw new OpenDataException(Reason.BAD_PADDING);
		}
		catch (JacksonException ex) {
			// JSON, but ambiguous: a name twice, or a second value after the first.
			throw new OpenDataException(Reason.INVALID_PAYLOAD);
		}
		finally {
			Arrays.fill(plaintext, (byte) 0);
		}
		watermark(payload.get("watermark")).verify(this.appId, this.watermarkMaxAge, this.clock);
		requireSameUser(payload, openid);
		try {
			T value = this.binders
				.computeIfAbsent(type,
						(key) -> this.binder.readerFor(key).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES))
				.readValue(payload);
			if (value == null) {
				throw new OpenDataException(Reason.INVALID_PAYLOAD);
			}
			return value;
		}
		catch (JacksonException ex) {
			throw new OpenDataException(Reason.INVALID_PAYLOAD);
		}
	}

	/** A watermark that is not an object, or whose fields have the wrong types, counts as none. */
	private static Watermark watermark(JsonNode node) {
		if (node == null || !node.isObject()) {
			return new Watermark(null, null);
		}
		JsonNode appId = node.get("appid");
		JsonNode timestamp = node.get("timestamp");
		Instant time = null;
		if (timestamp != null && timestamp.isIntegralNumber() && timestamp.canConvertToLong()) {
			try {
				time = Instant.ofEpochSecond(timestamp.longValue());
			}
			catch (DateTimeException ex) {
				throw new OpenDataException(Reason.INVALID_PAYLOAD);
			}
		}
		return new Watermark((appId != null && appId.isString()) ? appId.stringValue() : null, time);
	}

	/**
	 * WeChat writes {@code openId}; a type of the application's may bind {@code openid} or any other casing, so each
	 * of them must name this user, exactly.
	 */
	private static void requireSameUser(JsonNode payload, String openid) {
		for (Map.Entry<String, JsonNode> property : payload.properties()) {
			if (property.getKey().equalsIgnoreCase("openid")
					&& !(property.getValue().isString() && property.getValue().stringValue().equals(openid))) {
				throw new OpenDataException(Reason.OPENID_MISMATCH);
			}
		}
	}

}
