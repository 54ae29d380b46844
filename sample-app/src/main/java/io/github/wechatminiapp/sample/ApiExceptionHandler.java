package io.github.wechatminiapp.sample;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * What is the sample's own among the error answers: its request checks (a missing or
 * malformed field), a body over {@link RequestBodyLimitFilter#MAX_BODY_BYTES}, and Spring
 * MVC's errors (404, 405, 415...), all as RFC 9457 problem details with the short
 * {@code error} code the mini program reads, like the starter's. The starter's exceptions
 * (a refused code, data that does not decrypt, WeChat busy) are answered by the starter's
 * auto-configured {@code MiniAppProblemDetailsExceptionHandler}, from its one table.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	static final String TOO_LARGE_DETAIL = "The request body is larger than " + RequestBodyLimitFilter.MAX_BODY_BYTES
			+ " bytes";

	@ExceptionHandler
	ResponseEntity<Object> apiRequest(ApiRequestException ex, WebRequest request) {
		return handleExceptionInternal(ex, ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage()),
				new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (NestedExceptionUtils.getMostSpecificCause(ex) instanceof RequestBodyLimitFilter.BodyTooLargeException) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, TOO_LARGE_DETAIL);
			problem.setProperty("error", RequestBodyLimitFilter.TOO_LARGE_ERROR);
			return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
		}
		return handleExceptionInternal(ex,
				ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
						"The body must be a JSON object whose fields are strings"),
				headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (!(body instanceof ProblemDetail problem)) {
			return super.createResponseEntity(body, headers, statusCode, request);
		}
		if (problem.getProperties() == null || !problem.getProperties().containsKey("error")) {
			problem.setProperty("error", errorCode(statusCode));
		}
		// Set, not negotiated: a client whose Accept names nothing we write (a 406)
		// still gets a body.
		HttpHeaders problemHeaders = new HttpHeaders();
		problemHeaders.putAll(headers);
		problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return super.createResponseEntity(problem, problemHeaders, statusCode, request);
	}

	/**
	 * The short code of an answer that has none of its own: {@code invalid_request} for
	 * every 400, as the starter names it, else the status's name ({@code not_found}).
	 * @param status the answer's HTTP status
	 * @return {@code invalid_request}, the lower-case name of a known status, else
	 * {@code error}
	 */
	static String errorCode(HttpStatusCode status) {
		if (status.value() == HttpStatus.BAD_REQUEST.value()) {
			return "invalid_request";
		}
		HttpStatus known = HttpStatus.resolve(status.value());
		return (known != null) ? known.name().toLowerCase(Locale.ROOT) : "error";
	}

}
