package io.github.wechatminiapp.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.apps.MiniApp;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.opendata.OpenDataService;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.test.Fault;
import io.github.wechatminiapp.test.MutableClock;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.token.CachingAccessTokenProvider;
import io.github.wechatminiapp.token.InMemoryAccessTokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login, bearer-token and logout filters one by one, every branch, against
 * {@link WeChatSandbox}.
 */
class MiniAppFiltersTests {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final RequestMatcher LOGIN = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.POST, "/login");

	private static final RequestMatcher LOGOUT = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.POST, "/logout");

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final CaffeineMiniAppBearerTokenStore store = new CaffeineMiniAppBearerTokenStore(100);

	private final MiniAppBearerTokenService tokens = new OpaqueMiniAppBearerTokenService(this.store,
			Duration.ofHours(1), Duration.ZERO, this.clock);

	private final PhoneNumberService phoneNumbers = phoneNumberService();

	private final MiniApp app = new MiniApp(sandbox.appId(), CLIENT, this.phoneNumbers,
			new OpenDataService(sandbox.appId(), new CaffeineSessionKeyRepository(Duration.ofHours(1), 100)), NO_TOKEN,
			new CaffeineSessionKeyRepository(Duration.ofHours(1), 100));

	private final List<Object> events = new CopyOnWriteArrayList<>();

	private MiniAppLoginThrottle throttle = new CaffeineMiniAppLoginThrottle(1000, Duration.ofMinutes(1), this.clock);

	private AuthenticationFailureHandler failureHandler = new MiniAppLoginFailureHandler();

	private MiniAppUserService users = (principal) -> AuthorityUtils.createAuthorityList("ROLE_USER");

	private MiniAppResolver resolver = MiniAppResolver.of(this.app);

	private MiniAppBearerTokenService loginTokens = this.tokens;

	private static final WeChatMiniAppClient CLIENT = new WeChatMiniAppClient(
			RestClient.builder().baseUrl(sandbox.baseUrl()).build(), sandbox.appId(), sandbox.appSecret(),
			new RetrySettings(1, Duration.ofMillis(1), Duration.ofMillis(1), 1.0));

	private static final CachingAccessTokenProvider NO_TOKEN = new CachingAccessTokenProvider(CLIENT,
			new InMemoryAccessTokenStore());

	private static PhoneNumberService phoneNumberService() {
		WeChatMiniAppClient client = CLIENT;
		return new PhoneNumberService(client, new CaffeineSessionKeyRepository(Duration.ofHours(1), 100),
				new CachingAccessTokenProvider(client, new InMemoryAccessTokenStore()));
	}

	@BeforeEach
	@AfterEach
	void clearContext() {
		this.contexts.clearContext();
		sandbox.clearFaults();
	}

	// Login

	@Test
	void theLoginFilterLeavesOtherRequestsAlone() throws Exception {
		MockHttpServletRequest get = new MockHttpServletRequest("GET", "/login");
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = new MockHttpServletResponse();
		loginFilter(64).doFilter(get, response, chain);
		assertThat(chain.getRequest()).isSameAs(get);
		assertThat(response.getContentAsString()).isEmpty();
		MockFilterChain other = new MockFilterChain();
		loginFilter(64).doFilter(new MockHttpServletRequest("POST", "/elsewhere"), new MockHttpServletResponse(),
				other);
		assertThat(other.getRequest()).isNotNull();
	}

	@Test
	void aLoginAnswersTheTokenAndNothingElse() throws Exception {
		WeChatSandboxUser user = sandbox.createUser();
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = login("{\"code\":\"" + sandbox.loginCode(user) + "\"}", 1024, chain);
		assertThat(chain.getRequest()).isNull();
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).startsWith("application/json");
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
		JsonNode body = JSON.readTree(response.getContentAsByteArray());
		assertThat(body.propertyNames()).containsExactly("token", "expiresIn", "openid");
		assertThat(body.get("expiresIn").asLong()).isEqualTo(3600);
		assertThat(body.get("openid").asString()).isEqualTo(user.openid());
		MiniAppAuthenticationToken authentication = this.tokens.authenticate(body.get("token").asString())
			.orElseThrow();
		assertThat(authentication.getPrincipal())
			.isEqualTo(new MiniAppPrincipal(sandbox.appId(), user.openid(), user.unionid()));
		assertThat(this.phoneNumbers.appId()).isEqualTo(sandbox.appId());
	}

	@Test
	void theBodyBoundIsExact() throws Exception {
		String code = sandbox.loginCode(sandbox.createUser());
		String body = "{\"code\":\"" + code + "\"}";
		assertThat(login(body, body.length(), new MockFilterChain()).getStatus()).isEqualTo(200);
		String other = "{\"code\":\"" + sandbox.loginCode(sandbox.createUser()) + "\"}";
		assertError(login(other, other.length() - 1, new MockFilterChain()), 413, "request_too_large");
		// A Content-Length that lies low: the bytes read are bounded all the same.
		MockHttpServletRequest lying = loginRequest(other);
		lying.addHeader("Content-Length", "1");
		MockHttpServletResponse response = new MockHttpServletResponse();
		loginFilter(other.length() - 1).doFilter(lying, response, new MockFilterChain());
		assertError(response, 413, "request_too_large");
	}

	@Test
	void theCodeIsOneToOneHundredTwentyEightCharacters() throws Exception {
		assertError(login("{\"code\":\" \"}", 1024, new MockFilterChain()), 400, "invalid_request");
		assertError(login("{\"code\":\"" + "c".repeat(128) + "\"}", 1024, new MockFilterChain()), 401, "invalid_code");
		assertError(login("{\"code\":\"" + "c".repeat(129) + "\"}", 1024, new MockFilterChain()), 400,
				"invalid_request");
		assertError(login("null", 1024, new MockFilterChain()), 400, "invalid_request");
	}

	@Test
	void weChatAnswersMapToStatuses() throws Exception {
		assertWeChatFault(Fault.errcode(40029), 401, "invalid_code", null);
		assertWeChatFault(Fault.errcode(40163), 401, "invalid_code", null);
		assertWeChatFault(Fault.errcode(45011), 429, "rate_limited", "60");
		assertWeChatFault(Fault.errcode(40226), 403, "login_blocked", null);
		assertWeChatFault(Fault.errcode(-1), 503, "wechat_busy", "5");
		assertWeChatFault(Fault.errcode(40125), 503, "misconfigured", "60");
		assertWeChatFault(Fault.errcode(99999), 502, "wechat_error", null);
		assertWeChatFault(Fault.httpStatus(500), 503, "wechat_unavailable", "5");
		assertWeChatFault(Fault.malformedBody(), 503, "wechat_unavailable", "5");
	}

	@Test
	void aResolverRefusingTheRequestIs400() throws Exception {
		this.resolver = (request) -> {
			throw new InvalidInputException("no such app");
		};
		MockHttpServletResponse response = login("{\"code\":\"c\"}", 1024, new MockFilterChain());
		assertError(response, 400, "invalid_request");
		assertThat(response.getContentAsString()).doesNotContain("no such app");
	}

	@Test
	void theUserServiceMayRefuseALogin() throws Exception {
		this.users = (principal) -> {
			throw new DisabledException("banned " + principal.openid());
		};
		MockHttpServletResponse response = login("{\"code\":\"" + sandbox.loginCode(sandbox.createUser()) + "\"}", 1024,
				new MockFilterChain());
		assertError(response, 401, "login_refused");
		assertThat(response.getContentAsString()).doesNotContain("banned");
	}

	@Test
	void aFailingTokenStoreIs503() throws Exception {
		this.loginTokens = new OpaqueMiniAppBearerTokenService(new OpaqueMiniAppBearerTokenServiceTests.FailingStore(),
				Duration.ofHours(1), Duration.ZERO, this.clock);
		assertError(
				login("{\"code\":\"" + sandbox.loginCode(sandbox.createUser()) + "\"}", 1024, new MockFilterChain()),
				503, "store_unavailable");
	}

	// Bearer tokens

	@Test
	void withoutABearerTokenTheRequestGoesOnUnauthenticated() throws Exception {
		for (String header : new String[] { null, "Basic dXNlcjpwYXNz", "Bearerx abc", "Token abc" }) {
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api");
			if (header != null) {
				request.addHeader("Authorization", header);
			}
			MockFilterChain chain = new MockFilterChain();
			bearerFilter().doFilter(request, new MockHttpServletResponse(), chain);
			assertThat(chain.getRequest()).as(header).isSameAs(request);
			assertThat(this.contexts.getContext().getAuthentication()).isNull();
			assertThat(MiniAppBearerTokenAuthenticationFilter.BEARER_REQUEST.matches(request)).isFalse();
		}
	}

	@Test
	void aValidTokenAuthenticatesTheRequest() throws Exception {
		String token = issue();
		MockHttpServletRequest request = bearer(" bEaReR   " + token + " ");
		assertThat(MiniAppBearerTokenAuthenticationFilter.BEARER_REQUEST.matches(request)).isTrue();
		AuthenticatingChain chain = new AuthenticatingChain();
		bearerFilter().doFilter(request, new MockHttpServletResponse(), chain);
		assertThat(chain.seen).isInstanceOf(MiniAppAuthenticationToken.class);
		assertThat(((MiniAppPrincipal) chain.seen.getPrincipal()).openid()).isEqualTo("o-1");
		assertThat(request.getAttribute(MiniAppBearerTokenAuthenticationFilter.TOKEN_ATTRIBUTE)).isEqualTo(token);
	}

	@Test
	void anInvalidTokenIs401InvalidToken() throws Exception {
		for (String header : new String[] { "Bearer", "Bearer ", "Bearer " + "A".repeat(43), "Bearer a b" }) {
			MockFilterChain chain = new MockFilterChain();
			MockHttpServletResponse response = new MockHttpServletResponse();
			bearerFilter().doFilter(bearer(header), response, chain);
			assertThat(chain.getRequest()).as(header).isNull();
			assertError(response, 401, "invalid_token");
			assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\", "
					+ "error_description=\"The token is malformed, unknown, expired or revoked: log in again\"");
		}
	}

	@Test
	void twoAuthorizationHeadersAre400() throws Exception {
		MockHttpServletRequest request = bearer("Bearer " + issue());
		request.addHeader("Authorization", "Basic dXNlcjpwYXNz");
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = new MockHttpServletResponse();
		bearerFilter().doFilter(request, response, chain);
		assertThat(chain.getRequest()).isNull();
		assertError(response, 400, "invalid_request");
	}

	@Test
	void aFailingStoreIs503AndNeverAuthenticated() throws Exception {
		MiniAppBearerTokenAuthenticationFilter filter = MiniAppFilters
			.bearer(new OpaqueMiniAppBearerTokenService(new OpaqueMiniAppBearerTokenServiceTests.FailingStore(),
					Duration.ofHours(1), Duration.ZERO, this.clock), this.contexts);
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(bearer("Bearer " + "A".repeat(43)), response, chain);
		assertThat(chain.getRequest()).isNull();
		assertThat(this.contexts.getContext().getAuthentication()).isNull();
		assertError(response, 503, "store_unavailable");
		assertThat(response.getHeader("WWW-Authenticate")).isNull();
	}

	// Logout

	@Test
	void logoutRevokesTheToken() throws Exception {
		String token = issue();
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/logout");
		request.setAttribute(MiniAppBearerTokenAuthenticationFilter.TOKEN_ATTRIBUTE, token);
		setAuthenticated(this.tokens.authenticate(token).orElseThrow());
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = new MockHttpServletResponse();
		logoutFilter(this.tokens).doFilter(request, response, chain);
		assertThat(chain.getRequest()).isNull();
		assertThat(response.getStatus()).isEqualTo(204);
		assertThat(this.tokens.authenticate(token)).isEmpty();
		assertThat(this.contexts.getContext().getAuthentication()).isNull();
	}

	@Test
	void logoutNeedsABearerAuthentication() throws Exception {
		String token = issue();
		// Not authenticated by the bearer filter: left to the chain, where the entry
		// point answers 401.
		MockHttpServletRequest withoutToken = new MockHttpServletRequest("POST", "/logout");
		setAuthenticated(this.tokens.authenticate(token).orElseThrow());
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = new MockHttpServletResponse();
		logoutFilter(this.tokens).doFilter(withoutToken, response, chain);
		assertThat(chain.getRequest()).isSameAs(withoutToken);
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(this.tokens.authenticate(token)).isPresent();
		assertThat(this.events).isEmpty();
	}

	@Test
	void logoutPublishesTheLogoutSuccessEvent() throws Exception {
		String token = issue();
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/logout");
		request.setAttribute(MiniAppBearerTokenAuthenticationFilter.TOKEN_ATTRIBUTE, token);
		setAuthenticated(this.tokens.authenticate(token).orElseThrow());
		logoutFilter(this.tokens).doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
		assertThat(this.events).singleElement().isInstanceOf(LogoutSuccessEvent.class);
	}

	@Test
	void logoutLeavesOtherRequestsAlone() throws Exception {
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = new MockHttpServletResponse();
		logoutFilter(this.tokens).doFilter(new MockHttpServletRequest("GET", "/logout"), response, chain);
		assertThat(chain.getRequest()).isNotNull();
		assertThat(response.getStatus()).isEqualTo(200);
	}

	@Test
	void aFailingStoreOnLogoutIs503() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/logout");
		request.setAttribute(MiniAppBearerTokenAuthenticationFilter.TOKEN_ATTRIBUTE, "A".repeat(43));
		setAuthenticated(new MiniAppAuthenticationToken(new MiniAppPrincipal("wx", "o", null), List.of()));
		MockHttpServletResponse response = new MockHttpServletResponse();
		logoutFilter(new OpaqueMiniAppBearerTokenService(new OpaqueMiniAppBearerTokenServiceTests.FailingStore(),
				Duration.ofHours(1), Duration.ZERO, this.clock))
			.doFilter(request, response, new MockFilterChain());
		assertError(response, 503, "store_unavailable");
	}

	// Challenges

	@Test
	void theEntryPointIsABareBearerChallenge() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		new MiniAppBearerTokenEntryPoint().commence(new MockHttpServletRequest(), response,
				new BadCredentialsException("x"));
		assertError(response, 401, "unauthorized");
		assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
	}

	@Test
	void accessDeniedIsInsufficientScope() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		new MiniAppBearerTokenAccessDeniedHandler().handle(new MockHttpServletRequest(), response,
				new AccessDeniedException("x"));
		assertError(response, 403, "insufficient_scope");
		assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer error=\"insufficient_scope\"");
	}

	// Helpers

	private String issue() {
		return this.tokens
			.issue(new MiniAppPrincipal("wx", "o-1", null), AuthorityUtils.createAuthorityList("ROLE_USER"))
			.value();
	}

	private void setAuthenticated(org.springframework.security.core.Authentication authentication) {
		var context = this.contexts.createEmptyContext();
		context.setAuthentication(authentication);
		this.contexts.setContext(context);
	}

	private void assertWeChatFault(Fault fault, int status, String error, String retryAfter) throws Exception {
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, fault);
		MockHttpServletResponse response = login("{\"code\":\"" + sandbox.loginCode(sandbox.createUser()) + "\"}", 1024,
				new MockFilterChain());
		assertError(response, status, error);
		assertThat(response.getHeader("Retry-After")).as(error).isEqualTo(retryAfter);
		sandbox.clearFaults();
	}

	private AuthenticationFilter loginFilter(int maxBodySize) {
		return MiniAppFilters.login(LOGIN, this.resolver, this.users, this.throttle, maxBodySize,
				new DefaultAuthenticationEventPublisher(this.events::add),
				new MiniAppLoginSuccessHandler(this.loginTokens), this.failureHandler, this.contexts, this.clock);
	}

	private MiniAppBearerTokenAuthenticationFilter bearerFilter() {
		return MiniAppFilters.bearer(this.tokens, this.contexts);
	}

	private LogoutFilter logoutFilter(MiniAppBearerTokenService tokenService) {
		return MiniAppFilters.logout(LOGOUT, tokenService, this.contexts, this.events::add);
	}

	private static MockHttpServletRequest loginRequest(String body) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login");
		request.setContentType("application/json");
		request.setContent(body.getBytes(StandardCharsets.UTF_8));
		return request;
	}

	private MockHttpServletResponse login(String body, int maxBodySize, MockFilterChain chain) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		loginFilter(maxBodySize).doFilter(loginRequest(body), response, chain);
		return response;
	}

	private static MockHttpServletRequest bearer(String header) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api");
		request.addHeader("Authorization", header);
		return request;
	}

	private static void assertError(MockHttpServletResponse response, int status, String error) throws Exception {
		assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
		JsonNode body = JSON.readTree(response.getContentAsByteArray());
		assertThat(body.propertyNames()).containsExactly("detail", "instance", "status", "title", "error");
		assertThat(body.get("title").asString()).isEqualTo(HttpStatus.valueOf(status).getReasonPhrase());
		assertThat(body.get("status").asInt()).isEqualTo(status);
		assertThat(body.get("error").asString()).isEqualTo(error);
		assertThat(body.get("detail").asString()).isNotBlank();
	}

	/** Records the authentication the rest of the chain sees. */
	private final class AuthenticatingChain extends MockFilterChain {

		org.springframework.security.core.Authentication seen;

		@Override
		public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response) {
			this.seen = MiniAppFiltersTests.this.contexts.getContext().getAuthentication();
		}

	}

}
