package io.github.wechatminiapp.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers a bearer-authenticated request the user may not make: 403 with
 * {@code WWW-Authenticate: Bearer error="insufficient_scope"} (RFC 6750, 3.1).
 */
final class MiniAppBearerTokenAccessDeniedHandler implements AccessDeniedHandler {

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			AccessDeniedException accessDeniedException) throws IOException {
		MiniAppErrors.challenge(request, response, HttpServletResponse.SC_FORBIDDEN, "insufficient_scope",
				"The user may not do this");
	}

}
