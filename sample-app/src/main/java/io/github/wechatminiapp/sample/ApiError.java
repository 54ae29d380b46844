package io.github.wechatminiapp.sample;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Every error body of the API: a stable snake_case code for programs and a message for
 * people. Neither ever carries WeChat's errmsg, a stack trace, a session key, the app
 * secret or an access token.
 *
 * @param error the machine-readable code, e.g. {@code invalid_request}
 * @param message safe text saying what to do
 * @param loginRequired {@code true} when the mini program should log in again before
 * retrying; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, Boolean loginRequired) {

	public ApiError(String error, String message) {
		this(error, message, null);
	}

}
