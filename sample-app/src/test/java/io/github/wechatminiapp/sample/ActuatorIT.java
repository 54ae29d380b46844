package io.github.wechatminiapp.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.sample.ApiClient.Response;
import io.github.wechatminiapp.sample.sandbox.SandboxMode;
import io.github.wechatminiapp.test.Fault;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.token.CachedAccessToken;
import io.github.wechatminiapp.token.CachingAccessTokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator endpoints an operator would open, with everything shown that can be shown:
 * the starter's configuration without its secrets, and its health from the cached access
 * token alone, never calling WeChat and never showing the token. Also: what the app
 * exposes with its own defaults (health alone, without details).
 */
@ActiveProfiles("sandbox")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,configprops",
				"management.endpoint.configprops.show-values=always", "management.endpoint.health.show-details=always",
				"management.endpoint.health.probes.enabled=true", "wechat.miniapp.access-token.failure-backoff=100ms",
				"wechat.miniapp.redis.encryption-key=" + ActuatorIT.ENCRYPTION_KEY })
class ActuatorIT {

	/**
	 * Unused with the in-memory store, but bound, so configprops would show it were it
	 * not masked.
	 */
	static final String ENCRYPTION_KEY = "Vm0xd1NtUXlWa1pPVldoVFlUSlNjRlJVVGtOamJGWjA=";

	private static final String MASK = "******";

	@LocalServerPort
	int port;

	@Autowired
	SandboxMode sandboxMode;

	@Autowired
	MiniApps apps;

	WeChatSandbox sandbox;

	ApiClient api;

	@BeforeEach
	void setUp() {
		this.sandbox = this.sandboxMode.sandbox();
		this.api = new ApiClient(this.port);
	}

	@AfterEach
	void clearFaults() {
		this.sandbox.clearFaults();
	}

	@Test
	void configpropsShowsTheAppIdButMasksTheSecrets() {
		String token = this.api.login(this.sandbox.loginCode(this.sandbox.createUser()));
		for (String path : List.of("/actuator/configprops", "/actuator/configprops/wechat.miniapp")) {
			// Exposed here, but never to anyone: only the health probe is open without a
			// bearer token.
			assertThat(this.api.get(path).status()).as(path).isEqualTo(401);
			Response response = this.api.get(path, token);
			assertThat(response.status()).as(path).isEqualTo(200);
			assertThat(response.body()).as(path)
				.doesNotContain(this.sandbox.appSecret())
				.doesNotContain(ENCRYPTION_KEY);
			JsonNode bean = weChatMiniAppBean(response.json());
			assertThat(bean).as(path + ": no bean with prefix wechat.miniapp in " + response.body()).isNotNull();
			JsonNode properties = bean.get("properties");
			assertThat(properties.get("appId").asString()).isEqualTo(this.sandbox.appId());
			assertThat(properties.get("apiBaseUrl").asString()).isEqualTo(this.sandbox.baseUrl());
			assertThat(properties.get("appSecret").asString()).isEqualTo(MASK);
			assertThat(properties.at("/redis/encryptionKey").asString()).isEqualTo(MASK);
			// Where each value came from is shown too, and masked the same way.
			JsonNode inputs = bean.get("inputs");
			assertThat(inputs.at("/appId/value").asString()).isEqualTo(this.sandbox.appId());
			assertThat(inputs.at("/appSecret/value").asString()).isEqualTo(MASK);
			assertThat(inputs.at("/redis/encryptionKey/value").asString()).isEqualTo(MASK);
		}
	}

	@Test
	void healthFollowsTheAccessTokenWithoutCallingWeChatOrShowingIt() {
		// Nothing in this class but this test asks for a phone number, and the context is
		// this class's own.
		JsonNode component = probe(200);
		assertThat(component.get("status").asString()).isEqualTo("UNKNOWN");
		assertThat(component.at("/details/accessToken").asString()).isEqualTo("not fetched yet");

		WeChatSandboxUser user = this.sandbox.createUser();
		String token = this.api.login(this.sandbox.loginCode(user));
		assertThat(phoneByCode(user, token).status()).isEqualTo(200);
		String accessToken = accessTokens().cachedToken().map(CachedAccessToken::value).orElseThrow();
		component = probe(200, accessToken);
		assertThat(component.get("status").asString()).isEqualTo("UP");
		assertThat(component.at("/details/accessToken").asString()).isEqualTo("valid");
		Instant expiresAt = Instant.parse(component.at("/details/expiresAt").asString());
		assertThat(expiresAt).isAfter(Instant.now().plus(Duration.ofHours(1)));
		assertThat(component.get("details").propertyNames()).containsExactlyInAnyOrder("accessToken", "expiresAt");

		// WeChat expires the token, and fetching a new one fails: no valid token, and the
		// last fetch failed. Not
		// down: WeChat failing for a while is not this instance's fault.
		this.sandbox.expireAccessTokens();
		this.sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.httpStatus(500));
		Response failed = phoneByCode(user, token);
		assertThat(failed.status()).as(failed.toString()).isEqualTo(503);
		assertThat(accessTokens().cachedToken()).isEmpty();
		component = probe(200, accessToken);
		assertThat(component.get("status").asString()).isEqualTo("UNKNOWN");
		assertThat(component.at("/details/accessToken").asString()).isEqualTo("none valid, fetching failed");
		assertThat(component.at("/details/error").asString()).isNotBlank();

		// Past the (configured, short) backoff, the next call that needs a token fetches
		// one; the health follows.
		sleep(Duration.ofMillis(150));
		assertThat(phoneByCode(user, token).status()).isEqualTo(200);
		String newAccessToken = accessTokens().cachedToken().map(CachedAccessToken::value).orElseThrow();
		component = probe(200, accessToken, newAccessToken);
		assertThat(component.get("status").asString()).isEqualTo("UP");
		assertThat(component.at("/details/accessToken").asString()).isEqualTo("valid");
	}

	@Test
	void theProbesLeaveWeChatOutAndOnlyARefusalOfTheConfigurationIsDown() {
		// A context of its own: the refusal's backoff must not reach this class's other
		// tests.
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SampleApplication.class)
			.profiles("sandbox")
			.run("--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
					"--management.endpoint.health.probes.enabled=true",
					"--management.endpoint.health.show-details=always")) {
			ApiClient own = new ApiClient(((WebServerApplicationContext) app).getWebServer().getPort());
			WeChatSandbox appSandbox = app.getBean(SandboxMode.class).sandbox();
			appSandbox.startOutage(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(89503), Duration.ofMinutes(1));
			WeChatSandboxUser user = appSandbox.createUser();
			String token = own.login(appSandbox.loginCode(user));
			Response refused = own.post("/api/phone", Map.of("code", appSandbox.phoneCode(user)), token);
			assertThat(refused.status()).as(refused.toString()).isGreaterThanOrEqualTo(500);
			Response health = own.get("/actuator/health");
			assertThat(health.status()).as(health.toString()).isEqualTo(503);
			JsonNode component = health.json().at("/components/wechatMiniApp/components/" + appSandbox.appId());
			assertThat(component.get("status").asString()).isEqualTo("DOWN");
			assertThat(component.at("/details/errcode").asInt()).isEqualTo(89503);
			assertThat(component.at("/details/rid").asString()).isNotBlank();
			assertThat(health.body()).doesNotContain(appSandbox.appSecret());
			// Spring Boot's advice for external systems: the probes do not follow WeChat.
			for (String group : List.of("/actuator/health/readiness", "/actuator/health/liveness")) {
				Response probe = own.get(group);
				assertThat(probe.status()).as(group).isEqualTo(200);
				assertThat(probe.text("status")).as(group).isEqualTo("UP");
				assertThat(probe.body()).as(group).doesNotContain("wechatMiniApp");
			}
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void theAppExposesHealthAloneAndWithoutDetailsByDefault() {
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SampleApplication.class)
			.profiles("sandbox")
			.run("--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off")) {
			ApiClient defaults = new ApiClient(((WebServerApplicationContext) app).getWebServer().getPort());
			Response health = defaults.get("/actuator/health");
			assertThat(health.status()).isEqualTo(200);
			// The overall status (and the names of the probe groups), no components, no
			// details.
			assertThat(health.json().propertyNames()).contains("status").isSubsetOf("status", "groups");
			assertThat(health.body()).doesNotContain("wechatMiniApp").doesNotContain("components");
			assertThat(health.text("status")).isEqualTo("UP");
			WeChatSandbox appSandbox = app.getBean(SandboxMode.class).sandbox();
			String token = defaults.login(appSandbox.loginCode(appSandbox.createUser()));
			assertThat(defaults.get("/actuator").status()).isEqualTo(401);
			Response links = defaults.get("/actuator", token);
			assertThat(links.status()).isEqualTo(200);
			assertThat(links.json().get("_links").propertyNames()).containsExactlyInAnyOrder("self", "health",
					"health-path");
			for (String path : List.of("/actuator/configprops", "/actuator/env", "/actuator/beans",
					"/actuator/heapdump", "/actuator/loggers", "/actuator/mappings")) {
				assertThat(defaults.get(path).status()).as(path).isEqualTo(401);
				Response hidden = defaults.get(path, token);
				assertThat(hidden.status()).as(path).isEqualTo(404);
				assertThat(hidden.text("error")).as(path).isEqualTo("not_found");
			}
		}
	}

	/**
	 * The access tokens of the app of the properties' app-id, the one the API serves
	 * without a Referer.
	 */
	private CachingAccessTokenProvider accessTokens() {
		return (CachingAccessTokenProvider) this.apps.app(this.sandbox.appId()).accessTokens();
	}

	/**
	 * The entry of the app of app-id in the wechatMiniApps component of /actuator/health
	 * (the sandbox serves two apps), checking that the probe sent nothing to WeChat and
	 * that the answer holds neither the app secret nor any of the given access tokens.
	 */
	private JsonNode probe(int status, String... accessTokens) {
		int before = this.sandbox.totalRequestCount();
		Response health = this.api.get("/actuator/health");
		assertThat(this.sandbox.totalRequestCount()).as("requests to WeChat during a health probe").isEqualTo(before);
		assertThat(health.status()).as(health.toString()).isEqualTo(status);
		List<String> secrets = new ArrayList<>(List.of(accessTokens));
		secrets.add(this.sandbox.appSecret());
		for (String secret : secrets) {
			assertThat(health.body()).doesNotContain(secret);
		}
		// One WeChat contributor, an entry per app id.
		JsonNode component = health.json().at("/components/wechatMiniApp/components/" + this.sandbox.appId());
		assertThat(component.isMissingNode()).as(health.toString()).isFalse();
		return component;
	}

	private Response phoneByCode(WeChatSandboxUser user, String token) {
		return this.api.post("/api/phone", Map.of("code", this.sandbox.phoneCode(user)), token);
	}

	/**
	 * The configuration properties bean bound to {@code wechat.miniapp}, in whichever
	 * context it is.
	 */
	private static JsonNode weChatMiniAppBean(JsonNode configprops) {
		for (JsonNode context : configprops.get("contexts")) {
			for (JsonNode bean : context.get("beans")) {
				if (bean.path("prefix").isString() && "wechat.miniapp".equals(bean.get("prefix").asString())) {
					return bean;
				}
			}
		}
		return null;
	}

}
