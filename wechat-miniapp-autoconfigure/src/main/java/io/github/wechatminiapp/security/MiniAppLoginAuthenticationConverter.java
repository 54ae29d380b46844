package io.github.wechatminiapp.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.RetryLaterException;
import io.github.wechatminiapp.apps.MiniApp;
import io.github.wechatminiapp.web.MiniAppErrorStatus;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads a login request, {@code {"code": "..."}}, into a
 * {@link MiniAppLoginAuthenticationToken}, refusing before anything is asked of WeChat: a
 * client over its failure budget (429), the wrong media type (415, 406), a body over the
 * bound (413, unread), anything but one JSON object with one well-formed code (400), a
 * request naming no known app (400).
 */
final class MiniAppLoginAuthenticationConverter implements AuthenticationConverter {

	// One "code" read, never the first of two: a duplicate makes the body ambiguous.
	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	/**
	 * The client's rule for codes (1 to 128 visible ASCII characters): anything else
	 * never reaches WeChat.
	 */
	private static final Pattern CODE = Pattern.compile("[\\x21-\\x7E]{1,128}");

	static final MiniAppErrorStatus INVALID_REQUEST = MiniAppErrorStatus.of(400, "invalid_request",
			"The body must be a JSON object with the wx.login code: {\"code\": \"...\"}", null);

	private static final MiniAppErrorStatus UNSUPPORTED_MEDIA_TYPE = MiniAppErrorStatus.of(415,
			"unsupported_media_type", "Send the login as Content-Type: application/json", null);

	private static final MiniAppErrorStatus NOT_ACCEPTABLE = MiniAppErrorStatus.of(406, "not_acceptable",
			"The login answers application/json", null);

	private static final MiniAppErrorStatus TOO_LARGE = MiniAppErrorStatus.of(413, "request_too_large",
			"The login body is too large", null);

	private final MiniAppResolver apps;

	private final MiniAppLoginThrottle throttle;

	private final int maxBodySize;

	MiniAppLoginAuthenticationConverter(MiniAppResolver apps, MiniAppLoginThrottle throttle, int maxBodySize) {
		this.apps = apps;
		this.throttle = throttle;
		this.maxBodySize = maxBodySize;
	}

	@Override
	public MiniAppLoginAuthenticationToken convert(HttpServletRequest request) {
		Optional<Duration> blocked;
		try {
			blocked = this.throttle.blockedFor(request.getRemoteAddr());
		}
		catch (RetryLaterException ex) {
			throw new MiniAppLoginException(MiniAppErrorStatus.of(ex));
		}
		if (blocked.isPresent()) {
			throw new MiniAppLoginException(MiniAppErrorStatus.of(429, "too_many_logins",
					"Too many failed logins from this address: wait and try again", blocked.get()));
		}
		if (!isJsonBody(request)) {
			throw new MiniAppLoginException(UNSUPPORTED_MEDIA_TYPE);
		}
		if (!acceptsJson(request)) {
			throw new MiniAppLoginException(NOT_ACCEPTABLE);
		}
		String code = code(body(request));
		if (code == null) {
			throw new MiniAppLoginException(INVALID_REQUEST);
		}
		MiniApp app;
		try {
			app = this.apps.resolve(request);
		}
		catch (InvalidInputException ex) {
			throw new MiniAppLoginException(MiniAppErrorStatus.of(ex));
		}
		return new MiniAppLoginAuthenticationToken(app, code);
	}

	private byte[] body(HttpServletRequest request) {
		if (request.getContentLengthLong() > this.maxBodySize) {
			throw new MiniAppLoginException(TOO_LARGE);
		}
		byte[] body;
		try (InputStream in = request.getInputStream()) {
			body = in.readNBytes(this.maxBodySize + 1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (body.length > this.maxBodySize) {
			throw new MiniAppLoginException(TOO_LARGE);
		}
		return body;
	}

	/**
	 * Whether the body is declared JSON: {@code application/json} or
	 * {@code application/*+json}.
	 * @param request the login request
	 * @return whether the declared content type is JSON
	 */
	private static boolean isJsonBody(HttpServletRequest request) {
		try {
			MediaType type = MediaType.parseMediaType(request.getContentType());
			return type.getType().equals("application")
					&& (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * Whether the client takes a JSON answer: no Accept header, or one that includes
	 * {@code application/json}.
	 * @param request the login request
	 * @return whether a JSON answer is acceptable
	 */
	private static boolean acceptsJson(HttpServletRequest request) {
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		if (accept == null || accept.isBlank()) {
			return true;
		}
		try {
			return MediaType.parseMediaTypes(accept)
				.stream()
				.anyMatch((type) -> type.includes(MediaType.APPLICATION_JSON));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	/**
	 * The code, or {@code null} when the body is not one JSON object with a well-formed
	 * string code.
	 * @param body the request body
	 * @return the code, or {@code null}
	 */
	private static String code(byte[] body) {
		JsonNode json;
		try {
			json = JSON.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
		if (json == null || !json.isObject() || !json.path("code").isString()) {
			return null;
		}
		String code = json.path("code").asString();
		return CODE.matcher(code).matches() ? code : null;
	}

}
