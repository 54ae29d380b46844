package io.github.wechatminiapp.security;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import io.github.wechatminiapp.StoreAccessException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its {@code Authorization: Bearer <token>} header (RFC 6750, 2.1), the way Spring
 * Security's {@code BearerTokenAuthenticationFilter} does: no header (or another scheme), the request goes on
 * unauthenticated; a token that is malformed, unknown, expired or revoked is answered 401 with
 * {@code WWW-Authenticate: Bearer error="invalid_token"}; a token store that fails is answered 503, never
 * authenticated.
 */
final class MiniAppBearerTokenFilter extends OncePerRequestFilter {

	/** The request attribute holding the bearer token of an authenticated request, for logout. */
	static final String TOKEN_ATTRIBUTE = MiniAppBearerTokenFilter.class.getName() + ".TOKEN";

	/** Requests that carry a bearer token: exempt from CSRF protection, which protects cookies. */
	static final RequestMatcher BEARER_REQUEST = (request) -> bearerHeaders(request).size() > 0;

	private static final Log logger = LogFactory.getLog(MiniAppBearerTokenFilter.class);

	private static final String BEARER = "Bearer ";

	private final MiniAppBearerTokenService tokenService;

	private final SecurityContextHolderStrategy securityContextHolderStrategy;

	MiniAppBearerTokenFilter(MiniAppBearerTokenService tokenService,
			SecurityContextHolderStrategy securityContextHolderStrategy) {
		this.tokenService = tokenService;
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

	MiniAppBearerTokenFilter(MiniAppBearerTokenService tokenService) {
		this(tokenService, SecurityContextHolder.getContextHolderStrategy());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		List<String> headers = bearerHeaders(request);
		if (headers.isEmpty()) {
			chain.doFilter(request, response);
			return;
		}
		if (Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION)).size() > 1) {
			MiniAppErrors.challenge(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request",
					"Send one Authorization header");
			return;
		}
		String token = headers.get(0).substring(BEARER.length()).trim();
		Optional<MiniAppAuthenticationToken> authentication;
		try {
			authentication = this.tokenService.authenticate(token);
		}
		catch (StoreAccessException ex) {
			logger.warn("Bearer token not checked: " + ex.getMessage());
			MiniAppErrors.write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "store_unavailable",
					"The server cannot check logins right now: try again later");
			return;
		}
		if (authentication.isEmpty()) {
			MiniAppErrors.challenge(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_token",
					"The token is malformed, unknown, expired or revoked: log in again");
			return;
		}
		SecurityContext context = this.securityContextHolderStrategy.createEmptyContext();
		context.setAuthentication(authentication.get());
		this.securityContextHolderStrategy.setContext(context);
		request.setAttribute(TOKEN_ATTRIBUTE, token);
		chain.doFilter(request, response);
	}

	/** The Authorization headers of the Bearer scheme, each ending in a space so that a bare "Bearer" is one. */
	private static List<String> bearerHeaders(HttpServletRequest request) {
		return Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION))
			.stream()
			.map((header) -> header.strip() + " ")
			.filter((header) -> header.regionMatches(true, 0, BEARER, 0, BEARER.length()))
			.toList();
	}

}
