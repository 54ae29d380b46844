package io.github.wechatminiapp.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.wechatminiapp.web.MiniAppErrorStatus;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * Writes the JSON error bodies of the login, logout and bearer-token filters:
 * {@code {"error","message"}}, the error code and fixed sentence of a
 * {@link MiniAppErrorStatus}, never an exception message, a stack trace or anything the
 * client sent.
 */
final class MiniAppErrors {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private MiniAppErrors() {
	}

	static void write(HttpServletResponse response, MiniAppErrorStatus status) throws IOException {
		status.retryAfterHeader().ifPresent((seconds) -> response.setHeader(HttpHeaders.RETRY_AFTER, seconds));
		write(response, status.status(), status.error(), status.detail());
	}

	static void write(HttpServletResponse response, int status, String error, String message) throws IOException {
		Map<String, String> body = new LinkedHashMap<>();
		body.put("error", error);
		body.put("message", message);
		writeJson(response, status, body);
	}

	static void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.getOutputStream().write(JSON.writeValueAsBytes(body));
		response.flushBuffer();
	}

	/**
	 * The RFC 6750 challenge: {@code Bearer} alone when the request carried no token,
	 * with the error otherwise.
	 */
	static void challenge(HttpServletResponse response, int status, String error, String message) throws IOException {
		String challenge = (error != null) ? "Bearer error=\"" + error + "\", error_description=\"" + message + "\""
				: "Bearer";
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
		write(response, status, (error != null) ? error : "unauthorized", message);
	}

}
