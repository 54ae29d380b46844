package io.github.wechatminiapp.web;

import io.github.wechatminiapp.WeChatMiniAppException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers the starter's exceptions escaping a controller as RFC 9457 problem details
 * ({@code application/problem+json}), with the status, error code and {@code Retry-After}
 * of {@link MiniAppErrorStatus}: {@code {"type","title","status","detail","error"}}. The
 * body holds the table's fixed sentence, never the exception's message or stack trace.
 * Exceptions the table does not name go on to the application's other handlers (a 500 by
 * default).
 * <p>
 * Auto-configured unless the application declares its own bean of this type, or sets
 * {@code wechat.miniapp.problem-details.enabled=false}. An application handler of higher
 * precedence for the same exceptions wins, as Spring MVC orders advice.
 */
@RestControllerAdvice
public class MiniAppProblemDetailsExceptionHandler {

	private static final Log logger = LogFactory.getLog(MiniAppProblemDetailsExceptionHandler.class);

	/**
	 * The problem details of one of the starter's exceptions.
	 * @param exception the exception
	 * @return the answer
	 * @throws WeChatMiniAppException the exception itself when the table does not map it
	 */
	@ExceptionHandler(WeChatMiniAppException.class)
	public ResponseEntity<ProblemDetail> handle(WeChatMiniAppException exception) {
		if (!MiniAppErrorStatus.isMapped(exception)) {
			throw exception;
		}
		MiniAppErrorStatus status = MiniAppErrorStatus.of(exception);
		if (status.status() >= 500) {
			// The starter's messages name the API and the errcode, never a secret, a key
			// or the client's input.
			logger.warn("Answered " + status.status() + " " + status.error() + ": " + exception.getMessage());
		}
		ProblemDetail problem = problemDetail(status);
		ResponseEntity.BodyBuilder response = ResponseEntity.status(status.status())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.cacheControl(CacheControl.noStore());
		status.retryAfterHeader().ifPresent((seconds) -> response.header(HttpHeaders.RETRY_AFTER, seconds));
		return response.body(problem);
	}

	/**
	 * The RFC 9457 body of an answer: the status's reason phrase as title, the fixed
	 * sentence as detail and the short error code as the extension member {@code error}.
	 * @param status the answer
	 * @return the problem detail
	 */
	public static ProblemDetail problemDetail(MiniAppErrorStatus status) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(status.status()), status.detail());
		problem.setProperty("error", status.error());
		return problem;
	}

}
