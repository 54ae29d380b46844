package io.github.wechatminiapp.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.wechatminiapp.sample.ApiClient.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged app as a user runs it:
 * {@code java -jar <the repackaged jar> --spring.profiles.active=sandbox}, on the JVM as
 * it is and with the AOT-generated context ({@code -Dspring.aot.enabled=true}, from the
 * build's {@code process-aot}). Each run serves the simulator page and logs a user in
 * through the embedded sandbox.
 */
class ExecutableJarIT {

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	@ParameterizedTest(name = "spring.aot.enabled={0}")
	@ValueSource(booleans = { false, true })
	void theJarServesTheSimulatorInSandboxMode(boolean aot) throws Exception {
		Path jar = Path.of(System.getProperty("sample.jar", "target/wechat-miniapp-sample-app-0.1.0-SNAPSHOT.jar"));
		assertThat(jar).as("the repackaged jar (run through mvn verify)").isRegularFile();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		command.add("-Dspring.aot.enabled=" + aot);
		// The virtual-threads profile of the build sets it for the tests: the app they
		// start runs with it too.
		String virtualThreads = System.getProperty("spring.threads.virtual.enabled");
		if (virtualThreads != null) {
			command.add("-Dspring.threads.virtual.enabled=" + virtualThreads);
		}
		command.addAll(List.of("-jar", jar.toString(), "--spring.profiles.active=sandbox", "--server.port=0",
				"--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		StringBuilder log = new StringBuilder();
		try {
			int port = awaitPort(process, log);
			ApiClient api = new ApiClient(port);
			Response page = api.get("/");
			assertThat(page.status()).as(text(log)).isEqualTo(200);
			assertThat(page.body()).contains("<html");
			Response info = api.get("/sandbox-info");
			assertThat(info.status()).as(text(log)).isEqualTo(200);
			assertThat(info.json().get("sandbox").asBoolean()).isTrue();
			assertThat(text(log)).contains("SANDBOX MODE");
			// Every login is miniAppLogin()'s: no default user, no generated password.
			assertThat(text(log)).doesNotContain("generated security password");
			if (aot) {
				assertThat(text(log)).contains("Starting AOT-processed SampleApplication");
			}
			else {
				assertThat(text(log)).contains("Starting SampleApplication").doesNotContain("AOT-processed");
			}
		}
		finally {
			process.destroy();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		}
	}

	private static String text(StringBuilder log) {
		synchronized (log) {
			return log.toString();
		}
	}

	/**
	 * Reads the app's output until Tomcat names its port; fails with the output when the
	 * app exits first.
	 */
	private static int awaitPort(Process process, StringBuilder log) throws Exception {
		BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		CompletableFuture<Integer> port = new CompletableFuture<>();
		Thread pump = new Thread(() -> {
			try {
				for (String line = reader.readLine(); line != null; line = reader.readLine()) {
					synchronized (log) {
						log.append(line).append('\n');
					}
					Matcher matcher = PORT.matcher(line);
					if (matcher.find()) {
						port.complete(Integer.parseInt(matcher.group(1)));
					}
				}
			}
			catch (IOException ex) {
				// the process ended
			}
			port.completeExceptionally(new AssertionError("The app exited before serving:\n" + text(log)));
		}, "sample-jar-output");
		pump.setDaemon(true);
		pump.start();
		return port.get(90, TimeUnit.SECONDS);
	}

}
