package io.github.wechatminiapp.sample;

import java.util.Optional;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.apps.MiniAppCredentials;
import io.github.wechatminiapp.apps.MiniAppReferer;
import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.autoconfigure.WeChatMiniAppProperties;
import io.github.wechatminiapp.sample.sandbox.SandboxEnvironmentPostProcessor;
import io.github.wechatminiapp.security.MiniAppResolver;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static io.github.wechatminiapp.security.MiniAppLoginConfigurer.miniAppLogin;

/**
 * The login, by the starter's {@code miniAppLogin()}: {@code POST /api/login} with the
 * {@code wx.login} code answers {@code {"token","expiresIn","openid"}}, every other API
 * request sends {@code Authorization: Bearer <token>}, and {@code POST /api/logout}
 * revokes the token. Open to everyone: the simulator page, the health probe and, in
 * sandbox mode only, the sandbox's info and control endpoints.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/**
	 * The header the simulator names its mini program with: a browser page cannot set
	 * {@code Referer}.
	 */
	static final String APP_ID_HEADER = "X-WeChat-App-Id";

	@Bean
	SecurityFilterChain api(HttpSecurity http, Environment environment) throws Exception {
		boolean sandbox = environment.containsProperty(SandboxEnvironmentPostProcessor.BASE_URL_PROPERTY);
		http.authorizeHttpRequests((requests) -> {
			requests.requestMatchers(HttpMethod.GET, "/", "/index.html", "/app.js", "/favicon.ico").permitAll();
			requests.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll();
			if (sandbox) {
				requests.requestMatchers(HttpMethod.GET, "/sandbox-info").permitAll();
				requests.requestMatchers("/sandbox/**").permitAll();
			}
			requests.anyRequest().authenticated();
		});
		// CSRF stays on: miniAppLogin() exempts what a foreign page cannot forge (bearer
		// requests, the login and
		// logout, session-less JSON), and /error is not opened: a logged-in user's errors
		// stay errors.
		http.with(miniAppLogin(), (login) -> login.loginProcessingUrl("/api/login")
			.logoutUrl("/api/logout")
			// The configurer reads the login body itself, before RequestBodyLimitFilter:
			// the same bound.
			.maxLoginBodySize(RequestBodyLimitFilter.MAX_BODY_BYTES));
		return http.build();
	}

	/**
	 * The app of a login: the one its {@code Referer} names (what WeChat sends), else the
	 * one the simulator's {@value #APP_ID_HEADER} header names, else the first app of the
	 * properties ({@code wechat.miniapp.app-id} here), for clients that name none, such
	 * as curl. Routing, not authentication: a code exchanged with the wrong app fails at
	 * WeChat, and an unknown or malformed app id is a bad request.
	 * @param apps the configured mini programs, which look the named app up
	 * @param properties the starter's properties, whose first app serves requests that
	 * name none
	 * @return the resolver the login uses
	 */
	@Bean
	MiniAppResolver miniAppResolver(MiniApps apps, WeChatMiniAppProperties properties) {
		Optional<String> firstApp = properties.credentials().stream().findFirst().map(MiniAppCredentials::appId);
		return (request) -> MiniAppReferer.appId(request.getHeader("Referer"))
			.or(() -> Optional.ofNullable(request.getHeader(APP_ID_HEADER)))
			.or(() -> firstApp)
			.map(apps::app)
			.orElseThrow(() -> new InvalidInputException("The request names no mini program (Referer)"));
	}

}
