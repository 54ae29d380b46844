package io.github.wechatminiapp.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers a request that reached a protected resource without a bearer token: 401 with
 * {@code WWW-Authenticate: Bearer} and no error code, as RFC 6750 (3.1) asks for requests
 * that carry no authentication at all.
 */
final class MiniAppBearerTokenEntryPoint implements AuthenticationEntryPoint {

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		MiniAppErrors.challenge(request, response, HttpServletResponse.SC_UNAUTHORIZED, null,
				"Log in first: POST the wx.login code, then send Authorization: Bearer <token>");
	}

}
