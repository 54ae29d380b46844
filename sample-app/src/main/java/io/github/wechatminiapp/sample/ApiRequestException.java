package io.github.wechatminiapp.sample;

import org.springframework.http.HttpStatus;

/**
 * A request the API refuses before calling WeChat: a missing or malformed field (400).
 * The message is ours and safe to show.
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

	HttpStatus status() {
		return this.status;
	}

	String error() {
		return this.error;
	}

}
