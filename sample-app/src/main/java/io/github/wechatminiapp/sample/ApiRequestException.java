package io.github.wechatminiapp.sample;

import org.springframework.http.HttpStatus;

/**
 * A request the API refuses before calling WeChat: a missing or malformed field (400) or a missing, unknown or
 * expired session token (401). The message is ours and safe to show.
 */
public class ApiRequestException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final HttpStatus status;

	private final String error;

	ApiRequestException(HttpStatus status, String error, String message) {
		super(message, null, false, false);
		this.status = status;
		this.error = error;
	}

	static ApiRequestException badRequest(String message) {
		return new ApiRequestException(HttpStatus.BAD_REQUEST, "invalid_request", message);
	}

	static ApiRequestException unauthorized() {
		return new ApiRequestException(HttpStatus.UNAUTHORIZED, "unauthorized",
				"Missing, unknown or expired " + SessionConfiguration.TOKEN_HEADER
						+ " header: log in with POST /api/login and send the token it returns");
	}

	HttpStatus status() {
		return this.status;
	}

	String error() {
		return this.error;
	}

}
