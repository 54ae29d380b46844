package io.github.wechatminiapp.security;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.wechatminiapp.security.MiniAppLoginConfigurer.miniAppLogin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Every setting of the configurer, over real HTTP: the URLs, the body bound, and
 * collaborators set on the configurer, which win over the context's beans.
 */
@SpringBootTest(classes = MiniAppLoginSettingsIT.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "wechat.miniapp.security.default-role=IGNORED")
class MiniAppLoginSettingsIT {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private static final List<String> resolvedApps = new CopyOnWriteArrayList<>();

	private static final MiniAppBearerTokenService shortTokens = new OpaqueMiniAppBearerTokenService(
			new CaffeineMiniAppBearerTokenStore(100), Duration.ofMinutes(2), Duration.ZERO, Clock.systemUTC());

	@Value("${local.server.port}")
	private int port;

	private Http http;

	@DynamicPropertySource
	static void sandboxProperties(DynamicPropertyRegistry registry) {
		sandbox.springProperties().forEach((name, value) -> registry.add(name, () -> value));
	}

	@BeforeEach
	void setUp() {
		this.http = new Http(this.port);
		resolvedApps.clear();
	}

	@Test
	void theUrlsAreTheConfiguredOnes() {
		String code = sandbox.loginCode(sandbox.createUser());
		// The default URL is an ordinary protected POST now: unauthenticated, never a
		// login.
		assertThat(this.http.login(code).statusCode()).isEqualTo(401);
		HttpResponse<String> login = this.http.post("/api/login", "{\"code\":\"" + code + "\"}", null);
		assertThat(login.statusCode()).isEqualTo(200);
		String token = Http.json(login).get("token").asString();
		assertThat(Http.json(login).get("expiresIn").asLong()).isEqualTo(120);
		assertThat(this.http.get("/api/roles", token).body()).isEqualTo("[ROLE_SET_ON_CONFIGURER]");
		assertThat(this.http.post("/logout/wechat-miniapp", "", token).statusCode()).isNotEqualTo(204);
		assertThat(this.http.get("/api/roles", token).statusCode()).isEqualTo(200);
		assertThat(this.http.post("/api/logout", "", token).statusCode()).isEqualTo(204);
		assertThat(this.http.get("/api/roles", token).statusCode()).isEqualTo(401);
	}

	@Test
	void everyLoginGoesThroughTheResolver() {
		this.http.post("/api/login", "{\"code\":\"" + sandbox.loginCode(sandbox.createUser()) + "\"}", null);
		assertThat(resolvedApps).containsExactly("default");
		HttpResponse<String> unknown = this.http.send(this.http.request("/api/login", null)
			.header("Content-Type", "application/json")
			.header("X-App", "unknown")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"code\":\"c\"}")));
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(Http.json(unknown).get("error").asString()).isEqualTo("invalid_request");
		assertThat(unknown.body()).doesNotContain("unknown app");
	}

	@Test
	void theApplicationsFailureHandlerAnswers() {
		HttpResponse<String> refused = this.http.post("/api/login", "{\"code\":\"made-up\"}", null);
		assertThat(refused.statusCode()).isEqualTo(418);
		assertThat(refused.body()).isEqualTo("refused by the application's own handler");
	}

	@Test
	void theBodyBoundIsTheConfiguredOne() {
		String code = sandbox.loginCode(sandbox.createUser());
		String body = "{\"code\":\"" + code + "\"}";
		assertThat(this.http.post("/api/login", body + " ".repeat(64 - body.length()), null).statusCode())
			.isEqualTo(200);
		HttpResponse<String> tooLarge = this.http.post("/api/login",
				"{\"code\":\"" + sandbox.loginCode(sandbox.createUser()) + "\"}" + " ".repeat(65 - body.length()),
				null);
		assertThat(tooLarge.statusCode()).isEqualTo(413);
	}

	@Test
	void settingsAreChecked() {
		MiniAppLoginConfigurer login = miniAppLogin();
		assertThatIllegalArgumentException().isThrownBy(() -> login.loginProcessingUrl(" "));
		assertThatIllegalArgumentException().isThrownBy(() -> login.logoutUrl(""));
		assertThatIllegalArgumentException().isThrownBy(() -> login.maxLoginBodySize(0));
		assertThatIllegalArgumentException().isThrownBy(() -> login.tokenService(null));
		assertThatIllegalArgumentException().isThrownBy(() -> login.userService(null));
		assertThatIllegalArgumentException().isThrownBy(() -> login.miniAppResolver(null));
		assertThatIllegalArgumentException().isThrownBy(() -> login.loginThrottle(null));
		assertThatIllegalArgumentException().isThrownBy(() -> login.successHandler(null));
		assertThatIllegalArgumentException().isThrownBy(() -> login.failureHandler(null));
		assertThatIllegalArgumentException().isThrownBy(() -> login.authenticationEntryPoint(null));
		assertThatIllegalArgumentException().isThrownBy(() -> login.accessDeniedHandler(null));
		assertThat(login.maxLoginBodySize(1)).isSameAs(login);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(MiniAppLoginTestApp.Api.class)
	static class App {

		@Bean
		SecurityFilterChain api(HttpSecurity http, MiniApps apps, PhoneNumberService phoneNumbers) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.with(miniAppLogin(),
						(login) -> login.loginProcessingUrl("/api/login")
							.logoutUrl("/api/logout")
							.maxLoginBodySize(64)
							.tokenService(shortTokens)
							.userService((principal) -> AuthorityUtils.createAuthorityList("ROLE_SET_ON_CONFIGURER"))
							.failureHandler((request, response, exception) -> {
								if (exception instanceof BadCredentialsException) {
									response.setStatus(418);
									response.getWriter().write("refused by the application's own handler");
									return;
								}
								new MiniAppLoginFailureHandler().onAuthenticationFailure(request, response, exception);
							})
							.miniAppResolver((request) -> {
								String app = request.getHeader("X-App");
								if (app != null) {
									throw new InvalidInputException("unknown app");
								}
								resolvedApps.add("default");
								return apps.app(phoneNumbers.appId());
							}));
			return http.build();
		}

		@Bean
		RolesController rolesController() {
			return new RolesController();
		}

	}

	@org.springframework.web.bind.annotation.RestController
	static class RolesController {

		@org.springframework.web.bind.annotation.GetMapping("/api/roles")
		String roles(org.springframework.security.core.Authentication authentication) {
			return AuthorityUtils.authorityListToSet(authentication.getAuthorities()).toString();
		}

	}

}
