package io.github.wechatminiapp.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reading requests and writing responses on the JDK HTTP server.
 */
final class HttpExchanges {

	/**
	 * Request bodies are capped, so a runaway client in a test cannot exhaust the test
	 * JVM's heap.
	 */
	static final int MAX_BODY_BYTES = 64 * 1024;

	/**
	 * What WeChat really sends for JSON, odd parameter included; clients must cope with
	 * it.
	 */
	static final String JSON = "application/json; encoding=utf-8";

	static final String TEXT_PLAIN = "text/plain";

	static final String HTML = "text/html; charset=utf-8";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private HttpExchanges() {
	}

	/**
	 * Query parameters, decoded; the first value wins when a name repeats.
	 * @param exchange the request
	 * @return the parameters by name, empty without a query
	 */
	static Map<String, String> query(HttpExchange exchange) {
		Map<String, String> parameters = new HashMap<>();
		String raw = exchange.getRequestURI().getRawQuery();
		if (raw == null || raw.isEmpty()) {
			return parameters;
		}
		for (String pair : raw.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = decode((equals >= 0) ? pair.substring(0, equals) : pair);
			String value = (equals >= 0) ? decode(pair.substring(equals + 1)) : "";
			parameters.putIfAbsent(name, value);
		}
		return parameters;
	}

	private static String decode(String value) {
		try {
			return URLDecoder.decode(value, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// A malformed escape is the client's bug; pass it through raw so the request
			// fails on its merits.
			return value;
		}
	}

	static byte[] body(HttpExchange exchange) throws IOException {
		try (InputStream in = exchange.getRequestBody()) {
			byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
			if (body.length > MAX_BODY_BYTES) {
				throw new PayloadTooLargeException();
			}
			return body;
		}
	}

	/**
	 * The body as a JSON object, or {@code null} when it is not one.
	 * @param body the request body
	 * @return the object, or {@code null}
	 */
	static @Nullable JsonNode jsonObject(byte[] body) {
		if (body.length == 0) {
			return null;
		}
		try {
			JsonNode node = MAPPER.readTree(body);
			return (node != null && node.isObject()) ? node : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * A string field, or {@code null} when it is missing or not a string.
	 * @param object a JSON object
	 * @param field the field's name
	 * @return the field's text, or {@code null}
	 */
	static @Nullable String text(JsonNode object, String field) {
		JsonNode value = object.get(field);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	static byte[] json(Object value) {
		return MAPPER.writeValueAsBytes(value);
	}

	static void sendJson(HttpExchange exchange, int status, String contentType, Object value) throws IOException {
		send(exchange, status, contentType, json(value));
	}

	static void send(HttpExchange exchange, int status, @Nullable String contentType, byte[] body) throws IOException {
		if (contentType != null) {
			exchange.getResponseHeaders().set("Content-Type", contentType);
		}
		// -1 tells the JDK server there is no body, which yields Content-Length: 0.
		exchange.sendResponseHeaders(status, (body.length == 0) ? -1 : body.length);
		if (body.length > 0) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	/**
	 * Thrown when a request body exceeds {@link #MAX_BODY_BYTES}; answered with HTTP 413.
	 */
	static final class PayloadTooLargeException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		PayloadTooLargeException() {
			super("Request body larger than " + MAX_BODY_BYTES + " bytes", null, false, false);
		}

	}

}
