package io.github.wechatminiapp.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.wechatminiapp.web.MiniAppErrorStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Writes the error answers of the login, logout and bearer-token filters as RFC 9457
 * problem details ({@code application/problem+json}), the same body the problem-details
 * handler gives the starter's exceptions escaping a controller:
 * {@code {"detail","instance","status","title","error"}}, with the error code and fixed
 * sentence of a {@link MiniAppErrorStatus}, never an exception message, a stack trace or
 * anything the client sent.
 */
final class MiniAppErrors {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private MiniAppErrors() {
	}

	static void write(HttpServletRequest request, HttpServletResponse response, MiniAppErrorStatus status)
			throws IOException {
		status.retryAfterHeader().ifPresent((seconds) -> response.setHeader(HttpHeaders.RETRY_AFTER, seconds));
		// What Spring MVC writes for a ProblemDetail: its members in Jackson 3's
		// alphabetical order, then the extension; the type, about:blank, left out.
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("detail", status.detail());
		// The path only: a query string may hold what the client sent.
		problem.put("instance", request.getRequestURI());
		problem.put("status", status.status());
		problem.put("title", HttpStatus.valueOf(status.status()).getReasonPhrase());
		problem.put("error", status.error());
		writeJson(response, status.status(), MediaType.APPLICATION_PROBLEM_JSON_VALUE, problem);
	}

	static void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
		writeJson(response, status, MediaType.APPLICATION_JSON_VALUE, body);
	}

	private static void writeJson(HttpServletResponse response, int status, String contentType, Object body)
			throws IOException {
		response.setStatus(status);
		response.setContentType(contentType);
		response.setCharacterEncoding("UTF-8");
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.getOutputStream().write(JSON.writeValueAsBytes(body));
		response.flushBuffer();
	}

	/**
	 * The RFC 6750 challenge: {@code Bearer} alone when the request carried no token,
	 * with the error otherwise.
	 * @param request the refused request
	 * @param response the response the problem details are written to
	 * @param status the HTTP status: 400, 401 or 403
	 * @param error the RFC 6750 error code, or {@code null} when the request carried no
	 * token
	 * @param message the error description
	 */
	static void challenge(HttpServletRequest request, HttpServletResponse response, int status, String error,
			String message) throws IOException {
		String challenge = (error != null) ? "Bearer error=\"" + error + "\", error_description=\"" + message + "\""
				: "Bearer";
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
		write(request, response,
				MiniAppErrorStatus.of(status, (error != null) ? error : "unauthorized", message, null));
	}

}
