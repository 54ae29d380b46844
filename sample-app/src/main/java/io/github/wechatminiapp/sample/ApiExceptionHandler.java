package io.github.wechatminiapp.sample;

import java.util.List;
import java.util.Locale;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.client.WeChatApi;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatApiSecurityException;
import io.github.wechatminiapp.client.WeChatCommunicationException;
import io.github.wechatminiapp.crypto.OpenDataException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns every failure into a stable JSON body, {@code {"error": "<snake_code>",
 * "message": "<safe text>"}}, with a status the mini program can act on. WeChat's errmsg,
 * stack traces and secrets never reach the client; what went wrong in detail is logged on
 * the server.
 */
@RestControllerAdvice
class ApiExceptionHandler {

	private static final Log logger = LogFactory.getLog(ApiExceptionHandler.class);

	/**
	 * The one body for every decryption failure, whatever the cause: bad Base64, wrong
	 * sizes, wrong key, bad padding, foreign or old watermark. Telling them apart would
	 * help an attacker, not the user, and the fix is the same for all: log in again, then
	 * ask for the phone number again.
	 */
	static final ApiError OPEN_DATA_REJECTED = new ApiError("invalid_encrypted_data",
			"The encrypted data could not be decrypted or verified. Log in again (wx.login, then POST /api/login) "
					+ "and ask for the phone number again; never call wx.login inside the getPhoneNumber callback.",
			true);

	/** How the starter names the codes this API calls {@code code}. */
	private static final List<String> WECHAT_CODE_NAMES = List.of("js_code", "login code", "phone code");

	@ExceptionHandler
	ResponseEntity<ApiError> apiRequest(ApiRequestException ex) {
		return respond(ex.status(), new ApiError(ex.error(), ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ApiError> unreadableBody(HttpMessageNotReadableException ex) {
		if (NestedExceptionUtils.getMostSpecificCause(ex) instanceof RequestBodyLimitFilter.BodyTooLargeException) {
			return respond(HttpStatus.CONTENT_TOO_LARGE, new ApiError("payload_too_large",
					"The request body is larger than " + RequestBodyLimitFilter.MAX_BODY_BYTES + " bytes"));
		}
		return respond(HttpStatus.BAD_REQUEST,
				new ApiError("invalid_request", "The body must be a JSON object whose fields are strings"));
	}

	@ExceptionHandler
	ResponseEntity<ApiError> invalidInput(InvalidInputException ex) {
		// The starter's own message about the client's input: it never repeats the value,
		// but names the parameter
		// of WeChat's API ("js_code") or its own ("phone code"); the client knows only
		// this API's field, "code".
		return respond(HttpStatus.BAD_REQUEST, new ApiError("invalid_request", ownFieldNames(ex.getMessage())));
	}

	static String ownFieldNames(String message) {
		for (String weChatName : WECHAT_CODE_NAMES) {
			if (message.startsWith(weChatName + " ")) {
				return "code" + message.substring(weChatName.length());
			}
		}
		return message;
	}

	@ExceptionHandler
	ResponseEntity<ApiError> openData(OpenDataException ex) {
		logger.info("Open data (encryptedData) rejected: " + ex.reason());
		return respond(HttpStatus.BAD_REQUEST, OPEN_DATA_REJECTED);
	}

	@ExceptionHandler
	ResponseEntity<ApiError> loginRequired(LoginRequiredException ex) {
		if (ex.reason() != LoginRequiredException.Reason.NO_SESSION_KEY) {
			// The data fits none of the user's keys, or the budget is spent: a decryption
			// failure like any other.
			logger.info("Open data (encryptedData) rejected: " + ex.reason());
			return respond(HttpStatus.BAD_REQUEST, OPEN_DATA_REJECTED);
		}
		return respond(HttpStatus.UNAUTHORIZED, new ApiError("login_required",
				"This user's WeChat session is unknown to the server (expired or evicted): log in again with wx.login, "
						+ "then POST /api/login",
				true));
	}

	@ExceptionHandler
	ResponseEntity<ApiError> weChatApi(WeChatApiException ex) {
		boolean login = ex.api() == WeChatApi.JSCODE2SESSION;
		HttpHeaders headers = new HttpHeaders();
		ResponseEntity<ApiError> response = switch (ex.errcode()) {
			// 40003 here: a phone code presented for a user it was not issued to, as good
			// as an invalid one.
			case 40029, 40163, 40003 -> respond(HttpStatus.BAD_REQUEST, new ApiError("invalid_code", login
					? "The login code is invalid, expired or already used: call wx.login again for a new one"
					: "The phone code is invalid, expired or already used: ask the user to tap the button again"));
			case 45011 -> {
				headers.set(HttpHeaders.RETRY_AFTER, "60");
				yield respond(HttpStatus.TOO_MANY_REQUESTS, headers,
						new ApiError("rate_limited", "Too many requests for this user: wait a minute and try again"));
			}
			case -1 -> {
				headers.set(HttpHeaders.RETRY_AFTER, "5");
				yield respond(HttpStatus.SERVICE_UNAVAILABLE, headers,
						new ApiError("wechat_busy", login ? "WeChat is busy: call wx.login again in a few seconds"
								: "WeChat is busy: try again in a few seconds"));
			}
			case 1400001 -> respond(HttpStatus.SERVICE_UNAVAILABLE, new ApiError("phone_quota_exhausted",
					"The app's phone-number quota is used up, so phone numbers cannot be fetched right now"));
			case 45009 -> respond(HttpStatus.SERVICE_UNAVAILABLE,
					new ApiError("wechat_quota_exhausted", "The app's daily WeChat call limit is reached"));
			case 40226 -> respond(HttpStatus.FORBIDDEN,
					new ApiError("login_blocked", "WeChat refused this login for security reasons"));
			// A bound phone code refused for a reason WeChat does not document: the code,
			// not WeChat, is at fault.
			default -> (ex.category() == WeChatApiException.Category.CLIENT)
					? respond(HttpStatus.BAD_REQUEST,
							new ApiError("invalid_code",
									"The phone code was refused: ask the user to tap the button again"))
					: respond(HttpStatus.BAD_GATEWAY, new ApiError("wechat_error", "WeChat refused the request"));
		};
		if (response.getStatusCode().is4xxClientError()) {
			// What the README promises ("details are logged on the server"): errcode and
			// API, never the code sent.
			logger.info("WeChat " + ex.api().apiName() + " answered errcode " + ex.errcode()
					+ ex.errorCode().map((code) -> " (" + code + ": " + code.meaning() + ")").orElse("") + ", rid="
					+ ex.rid().orElse("none"));
		}
		else if (response.getStatusCode().is5xxServerError()) {
			// errcode and its known meaning only; the exception message would add
			// WeChat's errmsg.
			logger.warn("WeChat " + ex.api().apiName() + " answered errcode " + ex.errcode()
					+ ex.errorCode().map((code) -> " (" + code + ": " + code.meaning() + ")").orElse("") + ", rid="
					+ ex.rid().orElse("none"));
		}
		return response;
	}

	@ExceptionHandler
	ResponseEntity<ApiError> weChatApiSecurity(WeChatApiSecurityException ex) {
		// The client has logged the reason at WARN; the answer's data was discarded.
		return respond(HttpStatus.BAD_GATEWAY,
				new ApiError("wechat_unverified", "WeChat's answer failed verification and was discarded"));
	}

	@ExceptionHandler
	ResponseEntity<ApiError> weChatCommunication(WeChatCommunicationException ex) {
		// The starter's message never holds the URL (which carries the secret or the
		// token): safe to log.
		logger.warn(ex.getMessage());
		boolean timeout = ex.kind() == WeChatCommunicationException.Kind.TIMEOUT;
		String retry = (ex.api() == WeChatApi.JSCODE2SESSION) ? "call wx.login again and retry" : "try again later";
		return timeout
				? respond(HttpStatus.GATEWAY_TIMEOUT,
						new ApiError("wechat_timeout", "WeChat did not answer in time: " + retry))
				: respond(HttpStatus.BAD_GATEWAY,
						new ApiError("wechat_unavailable", "WeChat could not be reached: " + retry));
	}

	@ExceptionHandler
	ResponseEntity<ApiError> other(Exception ex) {
		if (ex instanceof ErrorResponse errorResponse) {
			// Spring MVC's own: 404, 405, 415 and the like.
			HttpStatusCode status = errorResponse.getStatusCode();
			HttpStatus known = HttpStatus.resolve(status.value());
			String error = (known != null) ? known.name().toLowerCase(Locale.ROOT) : "error";
			String message = (known != null) ? known.getReasonPhrase() : "Request failed";
			return respond(status, new ApiError(error, message));
		}
		logger.error("Request failed", ex);
		return respond(HttpStatus.INTERNAL_SERVER_ERROR,
				new ApiError("internal_error", "Something went wrong on the server"));
	}

	private static ResponseEntity<ApiError> respond(HttpStatusCode status, ApiError body) {
		return respond(status, new HttpHeaders(), body);
	}

	private static ResponseEntity<ApiError> respond(HttpStatusCode status, HttpHeaders headers, ApiError body) {
		return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON).body(body);
	}

}
