package io.github.wechatminiapp.security;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.github.wechatminiapp.StoreAccessException;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.testsupport.redis.EmbeddedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two instances of a backend on one real Redis: a token issued by one is accepted by the
 * other, and revoked on either it is revoked on both. A third instance whose Redis is
 * down answers 503, never authenticated.
 */
class MiniAppLoginRedisIT {

	private static final EmbeddedRedis redis = EmbeddedRedis.start();

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	@BeforeAll
	static void startInstances() {
		first = instance(redis.springProperties());
		second = instance(redis.springProperties());
	}

	@AfterAll
	static void stop() {
		second.close();
		first.close();
		redis.close();
	}

	static ConfigurableApplicationContext instance(String... redisProperties) {
		return new SpringApplicationBuilder(MiniAppLoginTestApp.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.address=127.0.0.1", "wechat.miniapp.store=redis",
					"wechat.miniapp.security.token.idle-timeout=10m")
			.properties(sandbox.springPropertyValues())
			.properties(redisProperties)
			.run();
	}

	static Http http(ConfigurableApplicationContext context) {
		return new Http(((WebServerApplicationContext) context).getWebServer().getPort());
	}

	@Test
	void failedLoginsAreCountedAcrossInstances() {
		sandbox.resetCounts();
		try {
			int answered = 0;
			HttpResponse<String> response = null;
			for (int i = 0; i < 100; i++) {
				response = http((i % 2 == 0) ? first : second).login("made-up-" + i);
				if (response.statusCode() == 429) {
					break;
				}
				answered++;
			}
			// Thirty failures in all, half on each instance, not thirty on each.
			assertThat(answered).isEqualTo(30);
			assertThat(sandbox.requestCount(WeChatEndpoint.JSCODE2SESSION)).isEqualTo(30);
			assertThat(http(first).login("made-up-x").statusCode()).isEqualTo(429);
			assertThat(http(second).login("made-up-y").statusCode()).isEqualTo(429);
		}
		finally {
			StringRedisTemplate template = first.getBean(StringRedisTemplate.class);
			template.delete(template.keys("wechat:miniapp:login-failures:*"));
		}
	}

	@Test
	void revokingAllTokensOfAUserOnOneInstanceEndsThemOnBoth() {
		WeChatSandboxUser user = sandbox.createUser();
		String onFirst = http(first).token(sandbox.loginCode(user));
		String onSecond = http(second).token(sandbox.loginCode(user));
		String someoneElse = http(second).token(sandbox.loginCode(sandbox.createUser()));
		first.getBean(MiniAppBearerTokenService.class).revokeAll(sandbox.appId(), user.openid());
		assertThat(http(second).get("/api/me", onFirst).statusCode()).isEqualTo(401);
		assertThat(http(first).get("/api/me", onSecond).statusCode()).isEqualTo(401);
		assertThat(http(first).get("/api/me", someoneElse).statusCode()).isEqualTo(200);
	}

	@Test
	void aTokenFromOneInstanceIsAcceptedByTheOther() {
		String token = http(first).token(sandbox.loginCode(sandbox.createUser()));
		assertThat(http(second).get("/api/me", token).statusCode()).isEqualTo(200);
		assertThat(http(first).get("/api/me", token).statusCode()).isEqualTo(200);
	}

	@Test
	void aTokenRevokedOnOneInstanceIsRevokedOnTheOther() {
		String token = http(first).token(sandbox.loginCode(sandbox.createUser()));
		assertThat(http(second).post("/logout/wechat-miniapp", "", token).statusCode()).isEqualTo(204);
		assertThat(http(first).get("/api/me", token).statusCode()).isEqualTo(401);
		assertThat(http(second).get("/api/me", token).statusCode()).isEqualTo(401);
	}

	@Test
	void redisHoldsOnlyTheHashOfTheToken() {
		String token = http(first).token(sandbox.loginCode(sandbox.createUser()));
		StringRedisTemplate template = first.getBean(StringRedisTemplate.class);
		List<String> keys = List.copyOf(template.keys("wechat:miniapp:bearer-token*"));
		// One namespace whatever the app: moving an app from app-id into apps.* logs
		// nobody out.
		assertThat(keys).anySatisfy((key) -> assertThat(key)
			.isEqualTo("wechat:miniapp:bearer-token:" + OpaqueMiniAppBearerTokenService.hash(token)));
		assertThat(keys).anySatisfy((key) -> assertThat(key).startsWith("wechat:miniapp:bearer-tokens-of:"));
		for (String key : keys) {
			assertThat(key).doesNotContain(token);
			if (key.startsWith("wechat:miniapp:bearer-tokens-of:")) {
				assertThat(template.opsForZSet().range(key, 0, -1)).noneMatch((member) -> member.contains(token));
				continue;
			}
			assertThat(template.opsForValue().get(key)).doesNotContain(token);
			assertThat(template.getExpire(key)).isPositive().isLessThanOrEqualTo(600);
		}
	}

	@Test
	void extendingARevokedTokenDoesNotBringItBack() {
		LettuceConnectionFactory factory = redis.connectionFactory();
		try {
			RedisMiniAppBearerTokenStore store = new RedisMiniAppBearerTokenStore(new StringRedisTemplate(factory),
					"test:");
			MiniAppBearerTokenRecord record = new MiniAppBearerTokenRecord(
					new MiniAppPrincipal(sandbox.appId(), "o-revoked", null), List.of("ROLE_USER"),
					Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2029-01-01T00:00:00Z"));
			store.save("hash", record, Duration.ofMinutes(1));
			assertThat(store.find("hash")).contains(record);
			store.remove("hash");
			store.replaceIfPresent("hash", record, Duration.ofMinutes(1));
			assertThat(store.find("hash")).isEmpty();
			new StringRedisTemplate(factory).opsForValue().set("test:" + sandbox.appId() + ":bearer-token:junk", "{");
			assertThat(store.find("junk")).isEmpty();
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void concurrentLoginsOnBothInstances() throws Exception {
		int logins = 16;
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(logins);
		try {
			List<java.util.concurrent.Future<String>> tokens = new java.util.ArrayList<>();
			for (int i = 0; i < logins; i++) {
				ConfigurableApplicationContext instance = (i % 2 == 0) ? first : second;
				String code = sandbox.loginCode(sandbox.createUser());
				tokens.add(pool.submit(() -> http(instance).token(code)));
			}
			java.util.Set<String> distinct = new java.util.HashSet<>();
			for (int i = 0; i < logins; i++) {
				String token = tokens.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS);
				distinct.add(token);
				ConfigurableApplicationContext other = (i % 2 == 0) ? second : first;
				assertThat(http(other).get("/api/me", token).statusCode()).isEqualTo(200);
			}
			assertThat(distinct).hasSize(logins);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void redisDownIs503NeverAuthenticated() {
		int closedPort = freePort();
		try (ConfigurableApplicationContext down = instance("spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + closedPort, "spring.data.redis.timeout=500ms",
				"spring.data.redis.connect-timeout=500ms")) {
			Http http = http(down);
			String token = http(first).token(sandbox.loginCode(sandbox.createUser()));
			HttpResponse<String> me = http.get("/api/me", token);
			assertThat(me.statusCode()).isEqualTo(503);
			assertThat(Http.json(me).get("error").asString()).isEqualTo("store_unavailable");
			assertThat(me.body()).doesNotContain(token).doesNotContain("Exception");
			HttpResponse<String> login = http.login(sandbox.loginCode(sandbox.createUser()));
			assertThat(login.statusCode()).isEqualTo(503);
			JsonNode body = Http.json(login);
			assertThat(body.get("error").asString()).isEqualTo("store_unavailable");
			HttpResponse<String> logout = http.post("/logout/wechat-miniapp", "", token);
			assertThat(logout.statusCode()).isEqualTo(503);
			assertThatExceptionOfType(StoreAccessException.class)
				.isThrownBy(() -> down.getBean(MiniAppBearerTokenService.class).revoke(token));
			assertThat(Optional.ofNullable(down.getBean(MiniAppBearerTokenStore.class))).get()
				.isInstanceOf(RedisMiniAppBearerTokenStore.class);
		}
		// Still valid where Redis is up: nothing was revoked by the failed logout.
	}

	private static int freePort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
				java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
