package io.github.wechatminiapp.security;

import io.github.wechatminiapp.web.MiniAppErrorStatus;

import org.springframework.security.core.AuthenticationException;

/**
 * A login refused before WeChat was asked: the request is malformed, too large, of the
 * wrong media type, its client has failed too often, or WeChat's frequency limit is being
 * waited out. An
 * {@link org.springframework.security.web.authentication.AuthenticationFailureHandler}
 * finds the answer in {@link #errorStatus()}.
 */
public final class MiniAppLoginException extends AuthenticationException {

	private static final long serialVersionUID = 1L;

	private final transient MiniAppErrorStatus errorStatus;

	/**
	 * Creates the exception.
	 * @param errorStatus the answer
	 */
	public MiniAppLoginException(MiniAppErrorStatus errorStatus) {
		super(errorStatus.detail());
		this.errorStatus = errorStatus;
	}

	/**
	 * What the client is told.
	 * @return the answer
	 */
	public MiniAppErrorStatus errorStatus() {
		return this.errorStatus;
	}

}
