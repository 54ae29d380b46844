package io.github.wechatminiapp.security;

import io.github.wechatminiapp.phone.PhoneNumberService;

import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * Mini program login for Spring Security, in one line:
 * <pre class="code">
 * http.authorizeHttpRequests((requests) -&gt; requests.anyRequest().authenticated())
 *     .with(miniAppLogin(), Customizer.withDefaults());
 * </pre>
 * {@code POST /login/wechat-miniapp} with {@code {"code": "<wx.login code>"}} answers
 * {@code {"token","expiresIn","openid"}}; later requests send {@code Authorization: Bearer <token>} and are
 * authenticated as a {@link MiniAppPrincipal}; {@code POST /logout/wechat-miniapp} revokes the caller's token.
 * Both endpoints need no {@code permitAll()} and no CSRF token; neither do requests carrying a bearer token, as
 * with Spring Security's resource server. No HTTP session is created: refused requests are not saved for a
 * redirect after login (the default session-backed {@code RequestCache} is replaced by a null one).
 * <p>
 * Unless set here, the collaborators are the context's beans: the {@link MiniAppBearerTokenService}, the
 * {@link MiniAppUserService} (or the role {@code USER} for everyone) and the {@link PhoneNumberServiceResolver} (or
 * the single {@link PhoneNumberService}).
 */
public final class MiniAppLoginConfigurer extends AbstractHttpConfigurer<MiniAppLoginConfigurer, HttpSecurity> {

	/** The default login URL. */
	public static final String DEFAULT_LOGIN_PROCESSING_URL = "/login/wechat-miniapp";

	/** The default logout URL. */
	public static final String DEFAULT_LOGOUT_URL = "/logout/wechat-miniapp";

	/** The default bound of a login body, in bytes: a code is some 32 characters. */
	public static final int DEFAULT_MAX_LOGIN_BODY_SIZE = 1024;

	private String loginProcessingUrl = DEFAULT_LOGIN_PROCESSING_URL;

	private String logoutUrl = DEFAULT_LOGOUT_URL;

	private int maxLoginBodySize = DEFAULT_MAX_LOGIN_BODY_SIZE;

	private MiniAppBearerTokenService tokenService;

	private MiniAppUserService userService;

	private PhoneNumberServiceResolver phoneNumberServiceResolver;

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
	 * @param loginProcessingUrl the URL, {@value #DEFAULT_LOGIN_PROCESSING_URL} by default
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
	 * @param maxLoginBodySize the bound in bytes, {@value #DEFAULT_MAX_LOGIN_BODY_SIZE} by default
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
	 * How a login request chooses its app's {@link PhoneNumberService}, instead of the context's
	 * {@link PhoneNumberServiceResolver} bean or single {@link PhoneNumberService}.
	 * @param phoneNumberServiceResolver the resolver
	 * @return this configurer
	 */
	public MiniAppLoginConfigurer phoneNumberServiceResolver(PhoneNumberServiceResolver phoneNumberServiceResolver) {
		Assert.notNull(phoneNumberServiceResolver, "phoneNumberServiceResolver must not be null");
		this.phoneNumberServiceResolver = phoneNumberServiceResolver;
		return this;
	}

	@Override
	public void init(HttpSecurity http) {
		RequestMatcher endpoints = new OrRequestMatcher(loginRequest(), logoutRequest(),
				MiniAppBearerTokenFilter.BEARER_REQUEST);
		// CSRF protects cookie-borne sessions; these requests carry their credential themselves.
		CsrfConfigurer<HttpSecurity> csrf = http.getConfigurer(CsrfConfigurer.class);
		if (csrf != null) {
			csrf.ignoringRequestMatchers(endpoints);
		}
		ExceptionHandlingConfigurer<HttpSecurity> exceptionHandling = http
			.getConfigurer(ExceptionHandlingConfigurer.class);
		if (exceptionHandling != null) {
			exceptionHandling.defaultAuthenticationEntryPointFor(new MiniAppBearerTokenEntryPoint(),
					AnyRequestMatcher.INSTANCE);
			exceptionHandling.defaultAccessDeniedHandlerFor(new MiniAppBearerTokenAccessDeniedHandler(),
					MiniAppBearerTokenFilter.BEARER_REQUEST);
		}
		// A token API redirects nobody after login: saving each refused request would open an HTTP session (and a
		// JSESSIONID) for every anonymous caller. Only the default, session-backed cache is replaced.
		RequestCache requestCache = http.getSharedObject(RequestCache.class);
		if (requestCache == null || requestCache instanceof HttpSessionRequestCache) {
			http.setSharedObject(RequestCache.class, new NullRequestCache());
		}
	}

	@Override
	public void configure(HttpSecurity http) {
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		MiniAppBearerTokenService tokens = (this.tokenService != null) ? this.tokenService
				: context.getBeanProvider(MiniAppBearerTokenService.class).getIfUnique();
		Assert.state(tokens != null, "miniAppLogin() needs a MiniAppBearerTokenService: set one with tokenService(...) "
				+ "or declare a bean (the starter's auto-configuration does)");
		MiniAppUserService users = (this.userService != null) ? this.userService
				: context.getBeanProvider(MiniAppUserService.class)
					.getIfUnique(() -> (principal) -> AuthorityUtils.createAuthorityList("ROLE_USER"));
		PhoneNumberServiceResolver services = (this.phoneNumberServiceResolver != null)
				? this.phoneNumberServiceResolver : context.getBeanProvider(PhoneNumberServiceResolver.class)
					.getIfUnique(() -> PhoneNumberServiceResolver.of(context.getBean(PhoneNumberService.class)));
		MiniAppLoginFilter login = postProcess(
				new MiniAppLoginFilter(loginRequest(), services, users, tokens, this.maxLoginBodySize));
		MiniAppBearerTokenFilter bearer = postProcess(
				new MiniAppBearerTokenFilter(tokens, getSecurityContextHolderStrategy()));
		MiniAppLogoutFilter logout = postProcess(new MiniAppLogoutFilter(logoutRequest(), tokens, getSecurityContextHolderStrategy()));
		http.addFilterBefore(login, UsernamePasswordAuthenticationFilter.class);
		http.addFilterBefore(bearer, BasicAuthenticationFilter.class);
		http.addFilterAfter(logout, BasicAuthenticationFilter.class);
	}

	private RequestMatcher loginRequest() {
		return PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, this.loginProcessingUrl);
	}

	private RequestMatcher logoutRequest() {
		return PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, this.logoutUrl);
	}

}
