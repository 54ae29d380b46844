package io.github.wechatminiapp.security;

import java.io.IOException;

import io.github.wechatminiapp.RetryLaterException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Counts a failed login against its client address, then lets the configured failure
 * handler answer. Only the client's failures count (4xx but 429): WeChat or a store
 * failing is no reason to lock a client out, and a throttled client is not counted again.
 */
final class MiniAppLoginThrottlingFailureHandler implements AuthenticationFailureHandler {

	private static final Log logger = LogFactory.getLog(MiniAppLoginThrottlingFailureHandler.class);

	private final MiniAppLoginThrottle throttle;

	private final AuthenticationFailureHandler delegate;

	MiniAppLoginThrottlingFailureHandler(MiniAppLoginThrottle throttle, AuthenticationFailureHandler delegate) {
		this.throttle = throttle;
		this.delegate = delegate;
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException, ServletException {
		int status = MiniAppLoginFailureHandler.errorStatus(exception).status();
		if (status >= 400 && status < 500 && status != 429) {
			try {
				this.throttle.recordFailure(request.getRemoteAddr());
			}
			catch (RetryLaterException ex) {
				logger.warn("Failed login not counted: " + ex.getMessage());
			}
		}
		this.delegate.onAuthenticationFailure(request, response, exception);
	}

}
