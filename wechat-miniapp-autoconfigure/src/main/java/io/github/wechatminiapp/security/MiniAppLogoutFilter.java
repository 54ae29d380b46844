package io.github.wechatminiapp.security;

import java.io.IOException;

import io.github.wechatminiapp.StoreAccessException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Revokes the caller's bearer token at the logout URL and answers 204. Runs after the bearer-token filter, so only
 * a request with a valid token gets this far authenticated; any other is answered 401.
 */
final class MiniAppLogoutFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(MiniAppLogoutFilter.class);

	private final RequestMatcher logoutRequest;

	private final MiniAppBearerTokenService tokenService;

	private final SecurityContextHolderStrategy securityContextHolderStrategy;

	MiniAppLogoutFilter(RequestMatcher logoutRequest, MiniAppBearerTokenService tokenService,
			SecurityContextHolderStrategy securityContextHolderStrategy) {
		this.logoutRequest = logoutRequest;
		this.tokenService = tokenService;
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.logoutRequest.matches(request)) {
			chain.doFilter(request, response);
			return;
		}
		Object token = request.getAttribute(MiniAppBearerTokenFilter.TOKEN_ATTRIBUTE);
		boolean authenticated = this.securityContextHolderStrategy.getContext()
			.getAuthentication() instanceof MiniAppAuthenticationToken;
		if (!(token instanceof String bearer) || !authenticated) {
			MiniAppErrors.challenge(response, HttpServletResponse.SC_UNAUTHORIZED, null,
					"Log out with the token to revoke: Authorization: Bearer <token>");
			return;
		}
		try {
			this.tokenService.revoke(bearer);
		}
		catch (StoreAccessException ex) {
			logger.warn("Bearer token not revoked: " + ex.getMessage());
			MiniAppErrors.write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "store_unavailable",
					"The server cannot log out right now: try again later");
			return;
		}
		this.securityContextHolderStrategy.clearContext();
		response.setStatus(HttpServletResponse.SC_NO_CONTENT);
	}

}
