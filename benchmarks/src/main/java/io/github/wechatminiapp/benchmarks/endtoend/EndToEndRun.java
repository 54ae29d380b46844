package io.github.wechatminiapp.benchmarks.endtoend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One run of the end-to-end benchmark: a {@link WeChatSandbox} and the
 * {@link EndToEndApplication} on loopback, users logged in, then every scenario warmed up
 * in turn and then measured in turn, with the same driver.
 */
final class EndToEndRun {

	static final String ECHO = "authenticated echo";

	static final String PHONE_BY_ENCRYPTED_DATA = "phone by encryptedData";

	static final String PHONE_BY_CODE = "phone by code (cached token)";

	static final String LOGIN = "login";

	static final String REFUSED_UNDECRYPTABLE = "refused: undecryptable";

	static final String REFUSED_MALFORMED = "refused: malformed (not Base64)";

	static final String REFUSED_UNDECRYPTABLE_400 = "refused: undecryptable, answered 400";

	static final String REFUSED_MALFORMED_400 = "refused: malformed, answered 400";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final SecureRandom RANDOM = new SecureRandom();

	private final EndToEndSettings settings;

	EndToEndRun(EndToEndSettings settings) {
		this.settings = settings;
	}

	EndToEndReport run() throws InterruptedException {
		double loadAverageBefore = EndToEndBenchmark.loadAverage();
		Path log = this.settings.logFile();
		deleteIfExists(log);
		try (WeChatSandbox sandbox = WeChatSandbox.start(); ConfigurableApplicationContext app = start(sandbox, log)) {
			int port = ((WebServerApplicationContext) app).getWebServer().getPort();
			String base = "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
			HttpClient client = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(5))
				.build();
			Users users = Users.logIn(sandbox, client, base, this.settings.users());
			List<Scenario> scenarios = scenarios(sandbox, users, base).stream()
				.filter((scenario) -> scenario.name().contains(this.settings.only()))
				.toList();
			Map<String, Boolean> connectionClosed = users.checkAnswers(client, scenarios);
			LoadDriver driver = new LoadDriver(client, this.settings.concurrency(), () -> countLines(log));
			List<ScenarioResult> warmUp = new ArrayList<>();
			for (int round = 0; round < this.settings.warmupRounds(); round++) {
				for (Scenario scenario : scenarios) {
					warmUp.add(driver.run(scenario, this.settings.warmupRequests(), this.settings.maxTime()));
				}
			}
			List<ScenarioResult> measured = new ArrayList<>();
			for (Scenario scenario : scenarios) {
				measured.add(driver.run(scenario, this.settings.requests(), this.settings.maxTime()));
			}
			return new EndToEndReport(this.settings, warmUp, measured, log, loadAverageBefore, connectionClosed);
		}
	}

	private ConfigurableApplicationContext start(WeChatSandbox sandbox, Path log) {
		List<String> properties = new ArrayList<>(List.of(sandbox.springPropertyValues()));
		properties.add("server.address=" + InetAddress.getLoopbackAddress().getHostAddress());
		properties.add("server.port=0");
		// Spring Boot's default logging (INFO), to a file: what the app logs is part of
		// what a request costs, and
		// the report counts the lines.
		properties.add("logging.config=classpath:end-to-end-logback.xml");
		properties.add("logging.file.name=" + log);
		properties.add("logging.threshold.console=OFF");
		properties.add("spring.main.banner-mode=off");
		// Undecryptable payloads are sent again and again by the same users: with the
		// default budget of 5 the
		// sixth would be a different refusal (keys dropped, log in again). The count is
		// still kept on every one.
		properties.add("wechat.miniapp.session.decryption-failure-budget=1000000000");
		// The payloads are encrypted once, before the warm-up; a long run must not see
		// them expire.
		properties.add("wechat.miniapp.watermark.max-age=1h");
		// The login scenario logs the same users in thousands of times: the default cap
		// of
		// live tokens per user would revoke the tokens the other scenarios send.
		properties.add("wechat.miniapp.security.token.max-per-user=0");
		return new SpringApplicationBuilder(EndToEndApplication.class).properties(properties.toArray(String[]::new))
			.run();
	}

	private static List<Scenario> scenarios(WeChatSandbox sandbox, Users users, String base) {
		URI echo = URI.create(base + EndToEndApplication.ECHO);
		URI encrypted = URI.create(base + EndToEndApplication.PHONE_BY_ENCRYPTED_DATA);
		URI encrypted400 = URI.create(base + EndToEndApplication.PHONE_BY_ENCRYPTED_DATA_REFUSED_400);
		URI byCode = URI.create(base + EndToEndApplication.PHONE_BY_CODE);
		URI login = URI.create(base + "/login/wechat-miniapp");
		int n = users.size();
		List<String> phonePayloads = new ArrayList<>();
		List<String> undecryptable = new ArrayList<>();
		List<String> malformed = new ArrayList<>();
		for (int u = 0; u < n; u++) {
			EncryptedData data = sandbox.encryptPhoneNumber(users.user(u));
			phonePayloads.add(json(Map.of("encryptedData", data.encryptedData(), "iv", data.iv())));
			// Random ciphertext of a phone payload's size: under the user's key, bad
			// padding 255 times in 256,
			// garbage that is not JSON otherwise. Counted against the failure budget.
			undecryptable.add(json(Map.of("encryptedData", randomBase64(data.encryptedData().length() / 4 * 3), "iv",
					randomBase64(16))));
			// The same size, with a character Base64 never has: refused before any key is
			// tried, never counted.
			malformed.add(json(Map.of("encryptedData", "*" + data.encryptedData().substring(1), "iv", data.iv())));
		}
		return List.of(new Scenario(ECHO, 200, (count) -> (i) -> users.post(echo, i % n, phonePayloads.get(i % n))),
				new Scenario(PHONE_BY_ENCRYPTED_DATA, 200,
						(count) -> (i) -> users.post(encrypted, i % n, phonePayloads.get(i % n))),
				new Scenario(PHONE_BY_CODE, 200, (count) -> {
					String[] bodies = new String[count];
					for (int i = 0; i < count; i++) {
						bodies[i] = json(Map.of("code", sandbox.phoneCode(users.user(i % n))));
					}
					return (i) -> users.post(byCode, i % n, bodies[i]);
				}), new Scenario(LOGIN, 200, (count) -> {
					String[] bodies = new String[count];
					for (int i = 0; i < count; i++) {
						bodies[i] = json(Map.of("code", sandbox.loginCode(users.user(i % n))));
					}
					return (i) -> Users.postJson(login, bodies[i]).build();
				}),
				new Scenario(REFUSED_UNDECRYPTABLE, 422,
						(count) -> (i) -> users.post(encrypted, i % n, undecryptable.get(i % n))),
				new Scenario(REFUSED_MALFORMED, 422,
						(count) -> (i) -> users.post(encrypted, i % n, malformed.get(i % n))),
				new Scenario(REFUSED_UNDECRYPTABLE_400, 400,
						(count) -> (i) -> users.post(encrypted400, i % n, undecryptable.get(i % n))),
				new Scenario(REFUSED_MALFORMED_400, 400,
						(count) -> (i) -> users.post(encrypted400, i % n, malformed.get(i % n))));
	}

	static String json(Object value) {
		return JSON.writeValueAsString(value);
	}

	private static String randomBase64(int bytes) {
		byte[] random = new byte[bytes];
		RANDOM.nextBytes(random);
		return Base64.getEncoder().encodeToString(random);
	}

	private static void deleteIfExists(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Lines in the application's log so far: the report gives the lines a request adds.
	 */
	static long countLines(Path file) {
		if (!Files.exists(file)) {
			return 0;
		}
		long lines = 0;
		byte[] buffer = new byte[64 * 1024];
		try (InputStream in = Files.newInputStream(file)) {
			for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
				for (int i = 0; i < read; i++) {
					if (buffer[i] == '\n') {
						lines++;
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return lines;
	}

	/**
	 * The logged-in users: each with a bearer token from a real login through the app.
	 */
	static final class Users {

		private final List<WeChatSandboxUser> users;

		private final List<String> tokens;

		private Users(List<WeChatSandboxUser> users, List<String> tokens) {
			this.users = users;
			this.tokens = tokens;
		}

		static Users logIn(WeChatSandbox sandbox, HttpClient client, String base, int count)
				throws InterruptedException {
			List<WeChatSandboxUser> users = new ArrayList<>();
			List<String> tokens = new ArrayList<>();
			URI login = URI.create(base + "/login/wechat-miniapp");
			for (int u = 0; u < count; u++) {
				WeChatSandboxUser user = sandbox.createUser();
				String body = json(Map.of("code", sandbox.loginCode(user)));
				HttpResponse<String> answer = send(client, postJson(login, body).build());
				if (answer.statusCode() != 200) {
					throw new IllegalStateException("Login answered " + answer.statusCode());
				}
				users.add(user);
				tokens.add(JSON.readTree(answer.body()).get("token").asString());
			}
			return new Users(users, tokens);
		}

		int size() {
			return this.users.size();
		}

		WeChatSandboxUser user(int index) {
			return this.users.get(index);
		}

		HttpRequest post(URI uri, int user, String body) {
			return postJson(uri, body).header("Authorization", "Bearer " + this.tokens.get(user)).build();
		}

		static HttpRequest.Builder postJson(URI uri, String body) {
			return HttpRequest.newBuilder(uri)
				.timeout(Duration.ofSeconds(30))
				.header("Content-Type", "application/json")
				.header("Accept", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		}

		/**
		 * One request of each scenario, its answer read: the right user's phone number,
		 * the echoed body, a token, the refusal's body. The driver then only counts
		 * statuses.
		 * @return for each scenario, whether the server closed the connection after
		 * answering ({@code Connection: close})
		 */
		Map<String, Boolean> checkAnswers(HttpClient client, List<Scenario> scenarios) throws InterruptedException {
			String phone = user(0).purePhoneNumber();
			Map<String, Boolean> connectionClosed = new LinkedHashMap<>();
			for (Scenario scenario : scenarios) {
				HttpRequest request = scenario.requests().apply(1).request(0);
				HttpResponse<String> answer = send(client, request);
				String expected = switch (scenario.name()) {
					case PHONE_BY_ENCRYPTED_DATA, PHONE_BY_CODE -> "\"purePhoneNumber\":\"" + phone + "\"";
					case ECHO -> "\"encryptedData\":";
					case LOGIN -> "\"token\":";
					default -> "\"error\":\"invalid_data\"";
				};
				if (answer.statusCode() != scenario.expectedStatus() || !answer.body().contains(expected)) {
					throw new IllegalStateException(
							scenario.name() + " answered " + answer.statusCode() + " without " + expected);
				}
				connectionClosed.put(scenario.name(),
						answer.headers()
							.allValues("Connection")
							.stream()
							.anyMatch((value) -> value.equalsIgnoreCase("close")));
			}
			return connectionClosed;
		}

		private static HttpResponse<String> send(HttpClient client, HttpRequest request) throws InterruptedException {
			try {
				return client.send(request, HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
