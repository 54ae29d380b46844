package io.github.wechatminiapp.security;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

import io.github.wechatminiapp.RetryLaterException;
import io.github.wechatminiapp.web.MiniAppErrorStatus;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its {@code Authorization: Bearer <token>} header (RFC 6750,
 * 2.1), shaped like Spring Security's {@code BearerTokenAuthenticationFilter}: the token
 * becomes a {@link MiniAppBearerTokenAuthenticationToken} that an
 * {@link AuthenticationManager} authenticates; the resulting context is set and saved to
 * a {@link SecurityContextRepository} (request attributes by default, never a session),
 * so that an error dispatch of the same request stays authenticated. No header (or
 * another scheme), the request goes on unauthenticated; a token that is malformed,
 * unknown, expired or revoked is answered 401 with
 * {@code WWW-Authenticate: Bearer error="invalid_token"}; a token store that fails is
 * answered 503, never authenticated.
 */
final class MiniAppBearerTokenAuthenticationFilter extends OncePerRequestFilter {

	/**
	 * The request attribute holding the bearer token of an authenticated request, for
	 * logout.
	 */
	static final String TOKEN_ATTRIBUTE = MiniAppBearerTokenAuthenticationFilter.class.getName() + ".TOKEN";

	/**
	 * Requests that carry a bearer token: exempt from CSRF protection, which protects
	 * cookies.
	 */
	static final RequestMatcher BEARER_REQUEST = (request) -> !bearerHeaders(request).isEmpty();

	/** Requests this filter authenticated by their bearer token. */
	static final RequestMatcher BEARER_AUTHENTICATED = (request) -> request.getAttribute(TOKEN_ATTRIBUTE) != null;

	private static final Log logger = LogFactory.getLog(MiniAppBearerTokenAuthenticationFilter.class);

	private static final String BEARER = "Bearer ";

	private final AuthenticationManager authenticationManager;

	private SecurityContextHolderStrategy securityContextHolderStrategy = SecurityContextHolder
		.getContextHolderStrategy();

	private SecurityContextRepository securityContextRepository = new RequestAttributeSecurityContextRepository();

	MiniAppBearerTokenAuthenticationFilter(AuthenticationManager authenticationManager) {
		this.authenticationManager = authenticationManager;
	}

	void setSecurityContextHolderStrategy(SecurityContextHolderStrategy securityContextHolderStrategy) {
		this.securityContextHolderStrategy = securityContextHolderStrategy;
	}

	void setSecurityContextRepository(SecurityContextRepository securityContextRepository) {
		this.securityContextRepository = securityContextRepository;
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
			MiniAppErrors.challenge(request, response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request",
					"Send one Authorization header");
			return;
		}
		String token = headers.get(0).substring(BEARER.length()).trim();
		Authentication authentication;
		try {
			authentication = this.authenticationManager.authenticate(new MiniAppBearerTokenAuthenticationToken(token));
		}
		catch (AuthenticationException ex) {
			this.securityContextHolderStrategy.clearContext();
			if (ex.getCause() instanceof RetryLaterException unavailable) {
				logger.warn("Bearer token not checked: " + unavailable.getMessage());
				MiniAppErrors.write(request, response, MiniAppErrorStatus.of(unavailable));
				return;
			}
			MiniAppErrors.challenge(request, response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_token",
					"The token is malformed, unknown, expired or revoked: log in again");
			return;
		}
		SecurityContext context = this.securityContextHolderStrategy.createEmptyContext();
		context.setAuthentication(authentication);
		this.securityContextHolderStrategy.setContext(context);
		this.securityContextRepository.saveContext(context, request, response);
		request.setAttribute(TOKEN_ATTRIBUTE, token);
		chain.doFilter(request, response);
	}

	/**
	 * The Authorization headers of the Bearer scheme, each ending in a space so that a
	 * bare "Bearer" is one.
	 * @param request the request
	 * @return the request's Bearer headers, stripped, each with a trailing space
	 */
	private static List<String> bearerHeaders(HttpServletRequest request) {
		return Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION))
			.stream()
			.map((header) -> header.strip() + " ")
			.filter((header) -> header.regionMatches(true, 0, BEARER, 0, BEARER.length()))
			.toList();
	}

}
