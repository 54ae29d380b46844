package io.github.wechatminiapp.opendata;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.crypto.Watermark;
import io.github.wechatminiapp.opendata.StrictJson.Token;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads decrypted open data in one streaming pass, strictly, for every kind of payload
 * (the phone number's included): one JSON object and nothing after it, no name twice in
 * any object at any depth, a watermark for our app that is recent enough, and, when the
 * payload names a user ({@code openId} in any casing), the user whose key decrypted it.
 * The payload's own fields are bound as they pass, by the {@link OpenDataFields} of its
 * type.
 * <p>
 * Bytes that are not JSON are what a key that does not fit makes of the data: they are
 * refused as {@link Reason#BAD_PADDING}, like bad padding, so that valid padding is no
 * easier to tell apart.
 */
public final class OpenDataReader {

	private final String appId;

	private final Duration watermarkMaxAge;

	private final Clock clock;

	private final @Nullable JsonMapper binder;

	/**
	 * One reader per type asked for: looking the deserializer up again on every call
	 * costs more than binding.
	 */
	private final Map<Class<?>, ObjectReader> binders = new ConcurrentHashMap<>();

	/**
	 * Creates a reader for the payloads of this starter's own types.
	 * @param appId the app id every watermark must name
	 * @param watermarkMaxAge the oldest payload accepted; zero turns the age check off
	 * @param clock the clock watermarks are checked against
	 */
	public OpenDataReader(String appId, Duration watermarkMaxAge, Clock clock) {
		this(null, appId, watermarkMaxAge, clock);
	}

	/**
	 * Creates a reader that also binds types of the application's.
	 * @param binder binds the fields of types other than this starter's own (unknown
	 * fields are ignored whatever it says), or {@code null} for none
	 * @param appId the app id every watermark must name
	 * @param watermarkMaxAge the oldest payload accepted; zero turns the age check off
	 * @param clock the clock watermarks are checked against
	 */
	public OpenDataReader(@Nullable JsonMapper binder, String appId, Duration watermarkMaxAge, Clock clock) {
		this.binder = binder;
		this.appId = appId;
		this.watermarkMaxAge = watermarkMaxAge;
		this.clock = clock;
	}

	/**
	 * Reads a payload of one of this starter's types ({@link WeRunData},
	 * {@link ShareInfo}, {@link UserInfo}) or, with a binder, of any type it can bind.
	 * @param <T> the payload type
	 * @param plaintext the decrypted bytes; wiped afterwards
	 * @param openid the user whose key decrypted them
	 * @param type the payload type
	 * @return the payload
	 * @throws OpenDataException if the payload is refused
	 */
	public <T> T read(byte[] plaintext, String openid, Class<T> type) {
		return read(plaintext, openid, fieldsOf(type));
	}

	/**
	 * Reads a payload with the given fields.
	 * @param <T> the payload type
	 * @param plaintext the decrypted bytes; wiped afterwards
	 * @param openid the user whose key decrypted them
	 * @param fields binds the payload's own fields; used once
	 * @return the payload
	 * @throws OpenDataException with {@link Reason#BAD_PADDING} for bytes that are not a
	 * JSON object (a key that does not fit), {@link Reason#INVALID_PAYLOAD} for JSON that
	 * is not one unambiguous object of the type, a watermark reason, or
	 * {@link Reason#OPENID_MISMATCH}
	 */
	public <T> T read(byte[] plaintext, String openid, OpenDataFields<T> fields) {
		if (plaintext.length == 0 || plaintext[0] != '{') {
			// What a key that does not fit makes of the data, almost always: refused as
			// cheaply as bad padding, not
			// after a parser has built an exception, so valid padding is no slower to
			// refuse than bad.
			Arrays.fill(plaintext, (byte) 0);
			throw new OpenDataException(Reason.BAD_PADDING);
		}
		WatermarkFields watermark = new WatermarkFields();
		try {
			StrictJson json = new StrictJson(plaintext);
			json.next();
			while (json.next() == Token.NAME) {
				String name = json.name();
				Token value = json.next();
				if (name.equals("watermark")) {
					int start = json.tokenStart();
					watermark.read(json);
					if (fields instanceof BoundFields<?> bound) {
						// A type of the application's may bind the watermark too: it gets
						// the bytes checked here, read again.
						StrictJson again = new StrictJson(plaintext, start, json.position());
						again.next();
						bound.field(name, again);
					}
					continue;
				}
				if (name.equalsIgnoreCase("openid") && !(value == Token.STRING && openid.equals(json.string()))) {
					// WeChat writes openId; a type of the application's may bind another
					// casing: each must be this user.
					throw new OpenDataException(Reason.OPENID_MISMATCH);
				}
				fields.field(name, json);
				if (json.depth() != 1) {
					// Whatever followed would be read as the payload's own fields.
					throw new IllegalStateException(fields.getClass().getName() + " did not read a whole value");
				}
			}
			json.next();
		}
		catch (DateTimeException ex) {
			throw new OpenDataException(Reason.INVALID_PAYLOAD);
		}
		finally {
			Arrays.fill(plaintext, (byte) 0);
		}
		new Watermark(watermark.appId, watermark.timestamp).verify(this.appId, this.watermarkMaxAge, this.clock);
		return fields.result();
	}

	@SuppressWarnings("unchecked")
	private <T> OpenDataFields<T> fieldsOf(Class<T> type) {
		if (type == WeRunData.class) {
			return (OpenDataFields<T>) new WeRunDataFields();
		}
		if (type == ShareInfo.class) {
			return (OpenDataFields<T>) new ShareInfoFields();
		}
		if (type == UserInfo.class) {
			return (OpenDataFields<T>) new UserInfoFields();
		}
		if (this.binder == null) {
			throw new IllegalArgumentException("No binder for " + type.getName());
		}
		JsonMapper mapper = this.binder;
		Function<Class<?>, ObjectReader> reader = (key) -> mapper.readerFor(key)
			.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
		return new BoundFields<>(this.binders.computeIfAbsent(type, reader));
	}

	/**
	 * The watermark's two fields; one that is not an object, or whose fields have the
	 * wrong types, counts as none.
	 */
	private static final class WatermarkFields {

		private @Nullable String appId;

		private @Nullable Instant timestamp;

		void read(StrictJson json) {
			if (json.token() != Token.START_OBJECT) {
				json.skipChildren();
				return;
			}
			while (json.next() == Token.NAME) {
				String field = json.name();
				json.next();
				if (field.equals("appid") && json.token() == Token.STRING) {
					this.appId = json.string();
				}
				else if (field.equals("timestamp") && json.isLong()) {
					this.timestamp = Instant.ofEpochSecond(json.longValue());
				}
				else {
					json.skipChildren();
				}
			}
		}

	}

}
