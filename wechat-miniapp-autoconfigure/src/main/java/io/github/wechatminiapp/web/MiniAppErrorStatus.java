package io.github.wechatminiapp.web;

import java.time.Duration;
import java.util.Optional;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.RetryLaterException;
import io.github.wechatminiapp.StoreAccessException;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatCommunicationException;
import io.github.wechatminiapp.crypto.OpenDataException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What the client is told about one of the starter's exceptions: the HTTP status, a short
 * error code, a fixed sentence and, when waiting helps, how long to wait
 * ({@code Retry-After}). One table, used by the login and bearer-token filters and by the
 * problem-details handler:
 * <table>
 * <caption>Exceptions and their answers</caption>
 * <tr>
 * <th>exception</th>
 * <th>status</th>
 * <th>error</th>
 * </tr>
 * <tr>
 * <td>{@link LoginRequiredException} without a session key (a decryption's other reasons
 * answer as {@link OpenDataException} does)</td>
 * <td>401</td>
 * <td>{@code login_required}</td>
 * </tr>
 * <tr>
 * <td>{@link OpenDataException}, and a {@link LoginRequiredException} that ends a
 * decryption</td>
 * <td>422</td>
 * <td>{@code invalid_data}</td>
 * </tr>
 * <tr>
 * <td>{@link InvalidInputException}, a client-category {@link WeChatApiException}</td>
 * <td>400</td>
 * <td>{@code invalid_request}, {@code refused}</td>
 * </tr>
 * <tr>
 * <td>errcode 45011 (frequency limit)</td>
 * <td>429, {@code Retry-After}</td>
 * <td>{@code rate_limited}</td>
 * </tr>
 * <tr>
 * <td>errcode 40226 (high-risk user)</td>
 * <td>403</td>
 * <td>{@code login_blocked}</td>
 * </tr>
 * <tr>
 * <td>{@link RetryLaterException}, a retry- or configuration-category
 * {@link WeChatApiException}</td>
 * <td>503, {@code Retry-After}</td>
 * <td>{@code store_unavailable}, {@code wechat_unavailable}, {@code retry_later},
 * {@code wechat_busy}, {@code misconfigured}</td>
 * </tr>
 * <tr>
 * <td>any other {@link WeChatApiException}</td>
 * <td>502</td>
 * <td>{@code wechat_error}</td>
 * </tr>
 * </table>
 * Anything else is a 500 {@code internal_error}. The sentence is fixed per row: never an
 * exception's message, which may hold what WeChat or the client sent.
 * <p>
 * Refused open data is 422 (Unprocessable Content: the request was read, its encrypted
 * data could not be), not 400: servlet containers and proxies end keep-alive after a 400
 * (Tomcat's {@code Http11Processor.statusDropsConnection}, as Apache httpd does), so a
 * refusal answered 400 would cost the server a new connection, and a new TLS handshake,
 * per request: a lever for whoever sends garbage on purpose.
 */
public final class MiniAppErrorStatus {

	/**
	 * How long WeChat's frequency limit (45011) is waited out: its quotas count per
	 * minute.
	 */
	public static final Duration FREQUENCY_LIMIT_RETRY_AFTER = Duration.ofSeconds(60);

	private static final int FREQUENCY_LIMIT = 45011;

	private static final int HIGH_RISK_USER = 40226;

	private static final MiniAppErrorStatus LOGIN_REQUIRED = new MiniAppErrorStatus(401, "login_required",
			"Log in again: call wx.login and send the new code", null);

	private static final MiniAppErrorStatus INVALID_REQUEST = new MiniAppErrorStatus(400, "invalid_request",
			"The request is not valid", null);

	private static final MiniAppErrorStatus INVALID_DATA = new MiniAppErrorStatus(422, "invalid_data",
			"The encrypted data could not be read", null);

	private static final MiniAppErrorStatus REFUSED = new MiniAppErrorStatus(400, "refused",
			"WeChat refused the request's input", null);

	private static final MiniAppErrorStatus INVALID_CODE = new MiniAppErrorStatus(401, "invalid_code",
			"The login code is invalid, expired or already used: call wx.login again for a new one", null);

	private static final MiniAppErrorStatus RATE_LIMITED = new MiniAppErrorStatus(429, "rate_limited",
			"Too many requests to WeChat: wait and try again", FREQUENCY_LIMIT_RETRY_AFTER);

	private static final MiniAppErrorStatus LOGIN_BLOCKED = new MiniAppErrorStatus(403, "login_blocked",
			"WeChat refused this user for security reasons", null);

	private static final MiniAppErrorStatus WECHAT_BUSY = new MiniAppErrorStatus(503, "wechat_busy",
			"WeChat is busy: try again in a few seconds", RetryLaterException.DEFAULT_RETRY_AFTER);

	private static final MiniAppErrorStatus MISCONFIGURED = new MiniAppErrorStatus(503, "misconfigured",
			"The server's WeChat configuration was refused: try again later", Duration.ofSeconds(60));

	private static final MiniAppErrorStatus WECHAT_ERROR = new MiniAppErrorStatus(502, "wechat_error",
			"WeChat refused the request", null);

	private static final MiniAppErrorStatus INTERNAL_ERROR = new MiniAppErrorStatus(500, "internal_error",
			"The server failed", null);

	private final int status;

	private final String error;

	private final String detail;

	private final @Nullable Duration retryAfter;

	private MiniAppErrorStatus(int status, String error, String detail, @Nullable Duration retryAfter) {
		this.status = status;
		this.error = error;
		this.detail = detail;
		this.retryAfter = retryAfter;
	}

	/**
	 * The answer to an exception escaping a request.
	 * @param exception what was thrown
	 * @return the answer: a 500 for anything the table does not name
	 */
	public static MiniAppErrorStatus of(Throwable exception) {
		if (exception instanceof LoginRequiredException loginRequired) {
			// A decryption that ended for the key (none of the user's keys fits, or the
			// budget
			// is spent) answers like any refused payload: a status of its own would tell
			// bad
			// padding from a bad payload, the oracle the failure budget exists to starve.
			return (loginRequired.reason() == LoginRequiredException.Reason.NO_SESSION_KEY) ? LOGIN_REQUIRED
					: INVALID_DATA;
		}
		// Open data refused is a kind of invalid input, with its own answer.
		if (exception instanceof OpenDataException) {
			return INVALID_DATA;
		}
		if (exception instanceof InvalidInputException) {
			return INVALID_REQUEST;
		}
		if (exception instanceof StoreAccessException unavailable) {
			return new MiniAppErrorStatus(503, "store_unavailable", "The server cannot answer now: try again later",
					unavailable.retryAfter());
		}
		if (exception instanceof WeChatCommunicationException unreachable) {
			return new MiniAppErrorStatus(503, "wechat_unavailable", "WeChat could not be reached: try again later",
					unreachable.retryAfter());
		}
		if (exception instanceof RetryLaterException retryLater) {
			return new MiniAppErrorStatus(503, "retry_later", "The server cannot answer now: try again later",
					retryLater.retryAfter());
		}
		if (exception instanceof WeChatApiException refusal) {
			return ofRefusal(refusal);
		}
		return INTERNAL_ERROR;
	}

	/**
	 * An answer of a filter's own, outside the table: a malformed request, a throttled
	 * client.
	 * @param status the HTTP status
	 * @param error the short error code
	 * @param detail the fixed sentence
	 * @param retryAfter how long to wait before retrying, or {@code null}
	 * @return the answer
	 */
	public static MiniAppErrorStatus of(int status, String error, String detail, @Nullable Duration retryAfter) {
		Assert.isTrue(status >= 400 && status < 600, "status must be an error status");
		Assert.hasText(error, "error must not be empty");
		Assert.hasText(detail, "detail must not be empty");
		return new MiniAppErrorStatus(status, error, detail, retryAfter);
	}

	/**
	 * The answer to an exception from a login: as {@link #of(Throwable)}, except that
	 * WeChat refusing the code (a client-category refusal) is 401 {@code invalid_code},
	 * so that the mini program calls {@code wx.login} again, and that WeChat unreachable
	 * or busy asks for a new code too (a code is never sent twice).
	 * @param exception what the login threw
	 * @return the answer
	 */
	public static MiniAppErrorStatus ofLogin(Throwable exception) {
		MiniAppErrorStatus status = of(exception);
		if (status == REFUSED) {
			return INVALID_CODE;
		}
		// A login code is never sent twice: retrying takes a new one.
		if (exception instanceof WeChatCommunicationException || status == WECHAT_BUSY) {
			return new MiniAppErrorStatus(status.status, status.error,
					"WeChat could not answer the login: call wx.login again and retry", status.retryAfter);
		}
		return status;
	}

	private static MiniAppErrorStatus ofRefusal(WeChatApiException refusal) {
		if (refusal.errcode() == FREQUENCY_LIMIT) {
			return RATE_LIMITED;
		}
		if (refusal.errcode() == HIGH_RISK_USER) {
			return LOGIN_BLOCKED;
		}
		return switch (refusal.category()) {
			case CLIENT -> REFUSED;
			case RETRY -> WECHAT_BUSY;
			case CONFIGURATION -> MISCONFIGURED;
			default -> WECHAT_ERROR;
		};
	}

	/**
	 * Whether the exception is one of the starter's that the table names, rather than a
	 * 500.
	 * @param exception what was thrown
	 * @return whether the table maps it
	 */
	public static boolean isMapped(Throwable exception) {
		return of(exception) != INTERNAL_ERROR;
	}

	/**
	 * Whether WeChat's frequency limit (errcode 45011) is what was thrown: callers should
	 * stop calling WeChat for {@link #FREQUENCY_LIMIT_RETRY_AFTER}.
	 * @param exception what was thrown
	 * @return whether it is the frequency limit
	 */
	public static boolean isFrequencyLimit(Throwable exception) {
		return exception instanceof WeChatApiException refusal && refusal.errcode() == FREQUENCY_LIMIT;
	}

	/**
	 * The HTTP status.
	 * @return the status code
	 */
	public int status() {
		return this.status;
	}

	/**
	 * A short, stable error code for the client's program, such as
	 * {@code login_required}.
	 * @return the error code
	 */
	public String error() {
		return this.error;
	}

	/**
	 * A fixed sentence for a human: never anything the exception or the client carried.
	 * @return the sentence
	 */
	public String detail() {
		return this.detail;
	}

	/**
	 * How long the client should wait before retrying, for {@code Retry-After}.
	 * @return the wait, whole seconds of at least one, or empty when retrying later does
	 * not help
	 */
	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

	/**
	 * {@link #retryAfter()} as the {@code Retry-After} header wants it: whole seconds,
	 * rounded up.
	 * @return the seconds, or empty
	 */
	public Optional<String> retryAfterHeader() {
		return retryAfter().map((wait) -> Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
	}

	@Override
	public String toString() {
		return "MiniAppErrorStatus[" + this.status + " " + this.error + "]";
	}

}
