package io.github.wechatminiapp.security;

import java.time.Clock;
import java.time.Duration;

import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.phone.PhoneNumberService;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * Mini program login for Spring Security, in one line: <pre class="code">
 * http.authorizeHttpRequests((requests) -&gt; requests.anyRequest().authenticated())
 *     .with(miniAppLogin(), Customizer.withDefaults());
 * </pre> {@code POST /login/wechat-miniapp} with {@code {"code": "<wx.login code>"}}
 * answers {@code {"token","expiresIn","openid"}}; later requests send
 * {@code Authorization: Bearer <token>} and are authenticated as a
 * {@link MiniAppPrincipal}; {@code POST /logout/wechat-miniapp} with the token revokes it
 * (204).
 * <p>
 * Built on Spring Security's own pieces: the login is an {@link AuthenticationFilter}
 * with a converter (bounded JSON body) and a provider (the app's {@code jscode2session},
 * then the {@link MiniAppUserService}), publishing Spring Security's authentication
 * events; bearer tokens are authenticated by a filter shaped like
 * {@code BearerTokenAuthenticationFilter}, which saves the context in request attributes
 * so that an error dispatch stays authenticated; logout is a {@link LogoutFilter} with a
 * revoking handler. No HTTP session is created by anything added here: requests are not
 * saved for a redirect after login (the default session-backed {@code RequestCache} is
 * replaced by a null one) and the contexts live in request attributes.
 * <p>
 * CSRF protection, left on, is skipped for requests that cannot be forged by a foreign
 * page: those carrying a bearer token, the login and logout, and session-less requests
 * with a JSON body (a content type no cross-site form can send without CORS allowing it).
 * So a token-less API call is answered 401 {@code WWW-Authenticate:
 * Bearer}, not 403. The 401 answer is the default entry point for requests that do not
 * ask for HTML, and the access-denied answer (403 {@code insufficient_scope}) the default
 * for bearer requests, so that an application's own form login keeps answering browsers.
 * <p>
 * Failed logins are bounded per client address by a {@link MiniAppLoginThrottle} (the
 * context's, else 30 a minute in memory). Unless set here, the collaborators are the
 * context's beans: the {@link MiniAppBearerTokenService} (else tokens in memory, as
 * Spring Security's one-time-token login does), the {@link MiniAppUserService} (or the
 * role {@code USER} for everyone) and the {@link MiniAppResolver} (or the app the
 * {@code Referer} names, else the single app).
 */
public final class MiniAppLoginConfigurer extends AbstractHttpConfigurer<MiniAppLoginConfigurer, HttpSecurity> {

	/** The default login URL. */
	public static final String DEFAULT_LOGIN_PROCESSING_URL = "/login/wechat-miniapp";

	/** The default logout URL. */
	public static final String DEFAULT_LOGOUT_URL = "/logout/wechat-miniapp";

	/** The default bound of a login body, in bytes: a code is some 32 characters. */
	public static final int DEFAULT_MAX_LOGIN_BODY_SIZE = 1024;

	/**
	 * Failed logins per client address and minute of the throttle used when the context
	 * has none.
	 */
	public static final int DEFAULT_MAX_FAILED_LOGINS_PER_MINUTE = 30;

	private String loginProcessingUrl = DEFAULT_LOGIN_PROCESSING_URL;

	private String logoutUrl = DEFAULT_LOGOUT_URL;

	private int maxLoginBodySize = DEFAULT_MAX_LOGIN_BODY_SIZE;

	private MiniAppBearerTokenService tokenService;

	private MiniAppUserService userService;

	private MiniAppResolver miniAppResolver;

	private MiniAppLoginThrottle loginThrottle;

	private AuthenticationSuccessHandler successHandler;

	private AuthenticationFailureHandler failureHandler;

	private AuthenticationEntryPoint authenticationEntryPoint = new MiniAppBearerTokenEntryPoint();

	private AccessDeniedHandler accessDeniedHandler = new MiniAppBearerTokenAccessDeniedHandler();

	private MiniAppLoginConfigurer() {
	}

	/**
	 * A configurer for {@code http.with(miniAppLogin(), (login) -> ...)}.
	 * @return a new configurer
	 */
	public static MiniAppLoginConfigurer miniAppLogin() {
		return new MiniAppLoginConfigurer();
	}

	/**
	 * The URL the mini program POSTs the {@code wx.login} code to.
	 * @param loginProcessingUrl the URL, {@value #DEFAULT_LOGIN_PROCESSING_URL} by
	 * default
	 * @return this configurer
	 */
	public MiniAppLoginConfigurer loginProcessingUrl(String loginProcessingUrl) {
		Assert.hasText(loginProcessingUrl, "loginProcessingUrl must not be empty");
		this.loginProcessingUrl = loginProcessingUrl;
		return this;
	}

	/**
	 * The URL the mini program POSTs to, with its token, to revoke it.
	 * @param logoutUrl the URL, {@value #DEFAULT_LOGOUT_URL} by default
	 * @return this configurer
	 */
	public MiniAppLoginConfigurer logoutUrl(String logoutUrl) {
		Assert.hasText(logoutUrl, "logoutUrl must not be empty");
		this.logoutUrl = logoutUrl;
		return this;
	}

	/**
	 * The largest login body read; a larger one is answered 413 unread.
	 * @param maxLoginBodySize the bound in bytes, {@value #DEFAULT_MAX_LOGIN_BODY_SIZE}
	 * by default
	 * @return this configurer
	 */
	public MiniAppLoginConfigurer maxLoginBodySize(int maxLoginBodySize) {
		Assert.isTrue(maxLoginBodySize > 0, "maxLoginBodySize must be positive");
		this.maxLoginBodySize = maxLoginBodySize;
		return this;
	}

	/**
	 * The token service, instead of the context's {@link MiniAppBearerTokenService} bean.
	 * @param tokenService the token service
	 * @return this configurer
	 */
	public MiniAppLoginConfigurer tokenService(MiniAppBearerTokenService tokenService) {
		Assert.notNull(tokenService, "tokenService must not be null");
		this.tokenService = tokenService;
		return this;
	}

	/**
	 * The user service, instead of the context's {@link MiniAppUserService} bean.
	 * @param userService the user service
	 * @return this configurer
	 */
	public MiniAppLoginConfigurer userService(MiniAppUserService userService) {
		Assert.notNull(userService, "userService must not be null");
		this.userService = userService;
		return this;
	}

	/**
	 * How a login request chooses its app, instead of the context's
	 * {@link MiniAppResolver} bean.
	 * @param miniAppResolver the resolver
	 * @return this configurer
	 */
	public MiniAppLoginConfigurer miniAppResolver(MiniAppResolver miniAppResolver) {
		Assert.notNull(miniAppResolver, "miniAppResolver must not be null");
		this.miniAppResolver = miniAppResolver;
		return this;
	}

	/**
	 * The bound of failed logins per client address, instead of the context's
	 * {@link MiniAppLoginThrottle} bean.
	 * @param loginThrottle the throttle
	 * @return this configurer
	 */
	public MiniAppLoginConfigurer loginThrottle(MiniAppLoginThrottle loginThrottle) {
		Assert.notNull(loginThrottle, "loginThrottle must not be null");
		this.loginThrottle = loginThrottle;
		return this;
	}

	/**
	 * What answers a successful login, instead of issuing a token and answering
	 * {@code {"token","expiresIn", "openid"}} ({@link MiniAppLoginSuccessHandler}, which
	 * a custom handler may wrap).
	 * @param successHandler the handler
	 * @return this configurer
	 */
	public MiniAppLoginConfigurer successHandler(AuthenticationSuccessHandler successHandler) {
		Assert.notNull(successHandler, "successHandler must not be null");
		this.successHandler = successHandler;
		return this;
	}

	/**
	 * What answers a failed login, instead of the JSON error of
	 * {@link io.github.wechatminiapp.web.MiniAppErrorStatus}. A request refused unread
	 * arrives as a {@link MiniAppLoginException}; the starter's exceptions as the cause
	 * of the {@link org.springframework.security.core.AuthenticationException}. Failed
	 * logins are counted against the client's address whatever the handler.
	 * @param failureHandler the handler
	 * @return this configurer
	 */
	public MiniAppLoginConfigurer failureHandler(AuthenticationFailureHandler failureHandler) {
		Assert.notNull(failureHandler, "failureHandler must not be null");
		this.failureHandler = failureHandler;
		return this;
	}

	/**
	 * What answers an unauthenticated API request to a protected resource, instead of 401
	 * {@code WWW-Authenticate: Bearer}.
	 * @param authenticationEntryPoint the entry point
	 * @return this configurer
	 */
	public MiniAppLoginConfigurer authenticationEntryPoint(AuthenticationEntryPoint authenticationEntryPoint) {
		Assert.notNull(authenticationEntryPoint, "authenticationEntryPoint must not be null");
		this.authenticationEntryPoint = authenticationEntryPoint;
		return this;
	}

	/**
	 * What answers a bearer-authenticated request the user may not make, instead of 403
	 * {@code WWW-Authenticate: Bearer error="insufficient_scope"}.
	 * @param accessDeniedHandler the handler
	 * @return this configurer
	 */
	public MiniAppLoginConfigurer accessDeniedHandler(AccessDeniedHandler accessDeniedHandler) {
		Assert.notNull(accessDeniedHandler, "accessDeniedHandler must not be null");
		this.accessDeniedHandler = accessDeniedHandler;
		return this;
	}

	@Override
	public void init(HttpSecurity http) {
		CsrfConfigurer<HttpSecurity> csrf = http.getConfigurer(CsrfConfigurer.class);
		if (csrf != null) {
			csrf.ignoringRequestMatchers(loginRequest(), logoutRequest(),
					MiniAppBearerTokenAuthenticationFilter.BEARER_REQUEST, MiniAppLoginConfigurer::isSessionlessJson);
		}
		ExceptionHandlingConfigurer<HttpSecurity> exceptionHandling = http
			.getConfigurer(ExceptionHandlingConfigurer.class);
		if (exceptionHandling != null) {
			MediaTypeRequestMatcher html = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
			html.setIgnoredMediaTypes(java.util.Set.of(MediaType.ALL));
			RequestMatcher api = new OrRequestMatcher(MiniAppBearerTokenAuthenticationFilter.BEARER_REQUEST,
					new NegatedRequestMatcher(html));
			exceptionHandling.defaultAuthenticationEntryPointFor(this.authenticationEntryPoint, api);
			exceptionHandling.defaultAccessDeniedHandlerFor(this.accessDeniedHandler,
					MiniAppBearerTokenAuthenticationFilter.BEARER_REQUEST);
		}
		// A token API redirects nobody after login: saving each refused request would
		// open an HTTP session (and a
		// JSESSIONID) for every anonymous caller. Only the default, session-backed cache
		// is replaced.
		RequestCache requestCache = http.getSharedObject(RequestCache.class);
		if (requestCache == null || requestCache instanceof HttpSessionRequestCache) {
			http.setSharedObject(RequestCache.class, new NullRequestCache());
		}
	}

	@Override
	public void configure(HttpSecurity http) {
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		MiniAppBearerTokenService tokens = tokenService(context);
		MiniAppUserService users = (this.userService != null) ? this.userService
				: context.getBeanProvider(MiniAppUserService.class)
					.getIfUnique(() -> (principal) -> AuthorityUtils.createAuthorityList("ROLE_USER"));
		MiniAppLoginThrottle throttle = (this.loginThrottle != null) ? this.loginThrottle
				: context.getBeanProvider(MiniAppLoginThrottle.class)
					.getIfUnique(() -> new CaffeineMiniAppLoginThrottle(DEFAULT_MAX_FAILED_LOGINS_PER_MINUTE,
							Duration.ofMinutes(1), Clock.systemUTC()));
		AuthenticationEventPublisher events = context.getBeanProvider(AuthenticationEventPublisher.class)
			.getIfUnique(() -> new DefaultAuthenticationEventPublisher(context));

		AuthenticationFilter login = MiniAppFilters.login(loginRequest(), miniAppResolver(context), users, throttle,
				this.maxLoginBodySize, events,
				(this.successHandler != null) ? this.successHandler : new MiniAppLoginSuccessHandler(tokens),
				(this.failureHandler != null) ? this.failureHandler : new MiniAppLoginFailureHandler(),
				getSecurityContextHolderStrategy(), Clock.systemUTC());
		MiniAppBearerTokenAuthenticationFilter bearer = MiniAppFilters.bearer(tokens,
				getSecurityContextHolderStrategy());
		LogoutFilter logout = MiniAppFilters.logout(logoutRequest(), tokens, getSecurityContextHolderStrategy(),
				context);

		http.addFilterBefore(postProcess(login), UsernamePasswordAuthenticationFilter.class);
		http.addFilterBefore(postProcess(bearer), BasicAuthenticationFilter.class);
		http.addFilterAfter(postProcess(logout), BasicAuthenticationFilter.class);
	}

	private MiniAppBearerTokenService tokenService(ApplicationContext context) {
		if (this.tokenService != null) {
			return this.tokenService;
		}
		// As Spring Security's one-time-token login: without a bean, tokens live in this
		// JVM.
		return context.getBeanProvider(MiniAppBearerTokenService.class)
			.getIfUnique(() -> new OpaqueMiniAppBearerTokenService(new CaffeineMiniAppBearerTokenStore(100_000),
					Duration.ofDays(1), Duration.ZERO, Clock.systemUTC()));
	}

	private MiniAppResolver miniAppResolver(ApplicationContext context) {
		if (this.miniAppResolver != null) {
			return this.miniAppResolver;
		}
		return context.getBeanProvider(MiniAppResolver.class).getIfUnique(() -> {
			MiniApps apps = context.getBean(MiniApps.class);
			PhoneNumberService single = context.getBeanProvider(PhoneNumberService.class).getIfUnique();
			return MiniAppResolver.byReferer(apps, (single != null) ? single.appId() : null);
		});
	}

	/**
	 * A request no foreign page can make: no HTTP session to ride on, and a JSON body,
	 * which a cross-site form cannot send and a script can only with the CORS permission
	 * of this server.
	 * @param request the request
	 * @return whether the request has no session id and a JSON body
	 */
	private static boolean isSessionlessJson(HttpServletRequest request) {
		if (request.getRequestedSessionId() != null || request.getContentType() == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(request.getContentType());
			return type.getType().equals("application")
					&& (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private RequestMatcher loginRequest() {
		return PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, this.loginProcessingUrl);
	}

	private RequestMatcher logoutRequest() {
		return PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, this.logoutUrl);
	}

}
