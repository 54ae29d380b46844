package io.github.wechatminiapp;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The request may succeed if retried later: WeChat is unreachable, no access token can be
 * had now, or a store the starter keeps state in is down. Mapped to HTTP 503 with a
 * {@code Retry-After} header. When WeChat itself answers "busy" (-1) or a call limit
 * (45009, 45011), the refusal is a
 * {@link io.github.wechatminiapp.client.WeChatApiException} of category
 * {@link io.github.wechatminiapp.client.WeChatApiException.Category#RETRY RETRY}, with
 * its own {@link io.github.wechatminiapp.client.WeChatApiException#retryAfter()
 * retryAfter()}.
 */
public class RetryLaterException extends WeChatMiniAppException {

	private static final long serialVersionUID = 1L;

	/** The wait suggested when nothing more precise is known. */
	public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

	private final Duration retryAfter;

	/**
	 * Creates the exception.
	 * @param message what happened, without any secret
	 * @param retryAfter how long the caller should wait before retrying; at least one
	 * second is reported
	 * @param cause what failed, or {@code null}
	 */
	public RetryLaterException(String message, Duration retryAfter, @Nullable Throwable cause) {
		super(message, cause);
		this.retryAfter = (retryAfter.compareTo(Duration.ofSeconds(1)) < 0) ? Duration.ofSeconds(1) : retryAfter;
	}

	/**
	 * How long the caller should wait before retrying, never less than one second.
	 * @return the wait
	 */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
