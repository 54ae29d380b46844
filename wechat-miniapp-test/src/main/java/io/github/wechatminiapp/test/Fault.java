package io.github.wechatminiapp.test;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A failure that {@link WeChatSandbox} applies to exactly one request of an
 * {@link WeChatEndpoint}, or to every request of it during an outage, before that request
 * is processed: a login or phone code sent with a faulted request stays unused.
 *
 * @see WeChatSandbox#enqueueFault(WeChatEndpoint, Fault)
 * @see WeChatSandbox#startOutage(WeChatEndpoint, Fault, Duration)
 */
public final class Fault {

	enum Kind {

		ERRCODE, HTTP_STATUS, DELAY, MALFORMED_BODY, EMPTY_BODY, HANG

	}

	private static final Fault MALFORMED_BODY = new Fault(Kind.MALFORMED_BODY, 0, null, Duration.ZERO);

	private static final Fault EMPTY_BODY = new Fault(Kind.EMPTY_BODY, 0, null, Duration.ZERO);

	/**
	 * The longest a hung request is held, so that a test that forgets to end an outage
	 * does not wedge the sandbox.
	 */
	static final Duration HANG_LIMIT = Duration.ofSeconds(60);

	private static final Fault HANG = new Fault(Kind.HANG, 0, null, HANG_LIMIT);

	private final Kind kind;

	private final int code;

	private final @Nullable String errmsg;

	private final Duration delay;

	private Fault(Kind kind, int code, @Nullable String errmsg, Duration delay) {
		this.kind = kind;
		this.code = code;
		this.errmsg = errmsg;
		this.delay = delay;
	}

	/**
	 * Answers HTTP 200 with {@code {"errcode":N,"errmsg":"..."}}, the errmsg being
	 * WeChat's for known codes (for instance {@code "system error"} for {@code -1}).
	 * @param errcode the non-zero WeChat error code
	 * @return the fault
	 */
	public static Fault errcode(int errcode) {
		return errcode(errcode, WeChatErrors.message(errcode));
	}

	/**
	 * Answers HTTP 200 with {@code {"errcode":N,"errmsg":"..."}} and the given message (a
	 * WeChat-style {@code ", rid: ..."} suffix is appended).
	 * @param errcode the non-zero WeChat error code
	 * @param errmsg the message
	 * @return the fault
	 */
	public static Fault errcode(int errcode, String errmsg) {
		if (errcode == 0) {
			throw new IllegalArgumentException("errcode 0 means success, not a fault");
		}
		return new Fault(Kind.ERRCODE, errcode, Objects.requireNonNull(errmsg, "errmsg"), Duration.ZERO);
	}

	/**
	 * Answers with the given HTTP status and a small HTML page, as a gateway in front of
	 * WeChat would.
	 * @param status an HTTP error status, 400 to 599
	 * @return the fault
	 */
	public static Fault httpStatus(int status) {
		if (status < 400 || status > 599) {
			throw new IllegalArgumentException("status must be 400 to 599, was " + status);
		}
		return new Fault(Kind.HTTP_STATUS, status, null, Duration.ZERO);
	}

	/**
	 * Waits, then handles the request normally: for read timeouts and slow-path tests.
	 * @param delay how long to wait, not negative
	 * @return the fault
	 */
	public static Fault delay(Duration delay) {
		Objects.requireNonNull(delay, "delay");
		if (delay.isNegative()) {
			throw new IllegalArgumentException("delay must not be negative");
		}
		return new Fault(Kind.DELAY, 0, null, delay);
	}

	/**
	 * Answers HTTP 200 with a truncated JSON body
	 * (<code>&#123;"errcode":0,"session_</code>).
	 * @return the fault
	 */
	public static Fault malformedBody() {
		return MALFORMED_BODY;
	}

	/**
	 * Answers HTTP 200 with an empty body.
	 * @return the fault
	 */
	public static Fault emptyBody() {
		return EMPTY_BODY;
	}

	/**
	 * Holds the request without answering until the outage it belongs to ends (or for at
	 * most 60 seconds as a single fault), then closes the connection: WeChat unreachable
	 * behind a silent network. The client meets its read timeout.
	 * @return the fault
	 * @see WeChatSandbox#startOutage(WeChatEndpoint, Fault, Duration)
	 */
	public static Fault hang() {
		return HANG;
	}

	Kind kind() {
		return this.kind;
	}

	int code() {
		return this.code;
	}

	@Nullable String errmsg() {
		return this.errmsg;
	}

	Duration delay() {
		return this.delay;
	}

	@Override
	public String toString() {
		return switch (this.kind) {
			case ERRCODE -> "Fault.errcode(" + this.code + ")";
			case HTTP_STATUS -> "Fault.httpStatus(" + this.code + ")";
			case DELAY -> "Fault.delay(" + this.delay + ")";
			case MALFORMED_BODY -> "Fault.malformedBody()";
			case EMPTY_BODY -> "Fault.emptyBody()";
			case HANG -> "Fault.hang()";
		};
	}

}
