package io.github.wechatminiapp.security;

import java.io.IOException;
import java.time.Clock;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.authentication.logout.LogoutSuccessEventPublishingLogoutHandler;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Builds the three filters {@link MiniAppLoginConfigurer} adds, from Spring Security's
 * own classes.
 */
final class MiniAppFilters {

	private MiniAppFilters() {
	}

	/**
	 * The login: Spring Security's {@link AuthenticationFilter} with the login converter
	 * and provider, its failures counted against the client's address, the context kept
	 * in request attributes only.
	 * @param loginRequest matches the login requests
	 * @param apps resolves the app a login is for
	 * @param users finds or creates the application's user
	 * @param throttle counts failed logins per client address
	 * @param maxBodySize the largest login body read, in bytes
	 * @param events told of each login's success or failure
	 * @param successHandler answers a successful login
	 * @param failureHandler answers a failed login
	 * @param contexts the security context strategy
	 * @param clock the clock of the login's record
	 * @return the login filter
	 */
	static AuthenticationFilter login(RequestMatcher loginRequest, MiniAppResolver apps, MiniAppUserService users,
			MiniAppLoginThrottle throttle, int maxBodySize, AuthenticationEventPublisher events,
			AuthenticationSuccessHandler successHandler, AuthenticationFailureHandler failureHandler,
			SecurityContextHolderStrategy contexts, Clock clock) {
		ProviderManager manager = new ProviderManager(new MiniAppLoginAuthenticationProvider(users, clock));
		manager.setAuthenticationEventPublisher(events);
		AuthenticationFilter login = new AuthenticationFilter(manager,
				new MiniAppLoginAuthenticationConverter(apps, throttle, maxBodySize));
		login.setRequestMatcher(loginRequest);
		login.setSuccessHandler(answering(successHandler));
		login.setFailureHandler(new MiniAppLoginThrottlingFailureHandler(throttle, failureHandler));
		login.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());
		login.setSecurityContextHolderStrategy(contexts);
		return login;
	}

	/**
	 * The success handler as the login's answer: {@link AuthenticationFilter} would go on
	 * down the chain after it (the default of the four-argument method), which for a
	 * login endpoint would reach the application.
	 * @param handler the application's success handler
	 * @return a handler that answers and ends the chain
	 */
	private static AuthenticationSuccessHandler answering(AuthenticationSuccessHandler handler) {
		return new AuthenticationSuccessHandler() {

			@Override
			public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
					FilterChain chain, Authentication authentication) throws IOException, ServletException {
				handler.onAuthenticationSuccess(request, response, authentication);
			}

			@Override
			public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
					Authentication authentication) throws IOException, ServletException {
				handler.onAuthenticationSuccess(request, response, authentication);
			}

		};
	}

	/**
	 * The bearer tokens, through an
	 * {@link org.springframework.security.authentication.AuthenticationManager}.
	 * @param tokens checks the bearer tokens
	 * @param contexts the security context strategy
	 * @return the bearer token filter
	 */
	static MiniAppBearerTokenAuthenticationFilter bearer(MiniAppBearerTokenService tokens,
			SecurityContextHolderStrategy contexts) {
		MiniAppBearerTokenAuthenticationFilter bearer = new MiniAppBearerTokenAuthenticationFilter(
				new ProviderManager(new MiniAppBearerTokenAuthenticationProvider(tokens)));
		bearer.setSecurityContextHolderStrategy(contexts);
		return bearer;
	}

	/**
	 * The logout: Spring Security's {@link LogoutFilter}, revoking the token, clearing
	 * the context, publishing the {@code LogoutSuccessEvent} and answering 204. Only a
	 * request the bearer filter authenticated logs out; any other goes on to the entry
	 * point (401).
	 * @param logoutRequest matches the logout requests
	 * @param tokens revokes the token
	 * @param contexts the security context strategy, cleared on logout
	 * @param events told of each logout
	 * @return the logout filter
	 */
	static LogoutFilter logout(RequestMatcher logoutRequest, MiniAppBearerTokenService tokens,
			SecurityContextHolderStrategy contexts, ApplicationEventPublisher events) {
		MiniAppBearerTokenRevokingLogoutHandler revoking = new MiniAppBearerTokenRevokingLogoutHandler(tokens);
		SecurityContextLogoutHandler clearing = new SecurityContextLogoutHandler();
		clearing.setInvalidateHttpSession(false);
		clearing.setSecurityContextHolderStrategy(contexts);
		LogoutSuccessEventPublishingLogoutHandler published = new LogoutSuccessEventPublishingLogoutHandler();
		published.setApplicationEventPublisher(events);
		LogoutFilter logout = new LogoutFilter(revoking, revoking, clearing, published);
		logout.setLogoutRequestMatcher(
				new AndRequestMatcher(logoutRequest, MiniAppBearerTokenAuthenticationFilter.BEARER_AUTHENTICATED));
		logout.setSecurityContextHolderStrategy(contexts);
		return logout;
	}

}
