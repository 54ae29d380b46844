package io.github.wechatminiapp.benchmarks.endtoend;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.wechatminiapp.test.WeChatSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

/**
 * The end-to-end benchmark with tiny counts: the app starts on the sandbox, every
 * scenario is answered with its status, and the report holds every figure. Says nothing
 * about speed.
 */
class EndToEndBenchmarkTests {

	@Test
	void everyScenarioIsAnsweredWithItsStatus(@TempDir Path directory) throws InterruptedException {
		EndToEndSettings settings = new EndToEndSettings(40, 10, 1, 2, 3, Duration.ofSeconds(60),
				directory.resolve("app.log"), "");
		EndToEndReport report = new EndToEndRun(settings).run();
		assertThat(report.measured()).extracting(ScenarioResult::name)
			.containsExactly(EndToEndRun.ECHO, EndToEndRun.PHONE_BY_ENCRYPTED_DATA, EndToEndRun.PHONE_BY_CODE,
					EndToEndRun.LOGIN, EndToEndRun.REFUSED_UNDECRYPTABLE, EndToEndRun.REFUSED_MALFORMED,
					EndToEndRun.REFUSED_UNDECRYPTABLE_400, EndToEndRun.REFUSED_MALFORMED_400);
		assertThat(report.warmUp()).hasSize(8);
		assertThat(report.measured()).allSatisfy((result) -> {
			assertThat(result.requests()).isEqualTo(40);
			assertThat(result.statuses()).isEqualTo(Map.of(result.expectedStatus(), 40));
			assertThat(result.p50()).isPositive().isLessThanOrEqualTo(result.p99());
			assertThat(result.requestsPerSecond()).isPositive();
		});
		assertThat(report.result(EndToEndRun.REFUSED_UNDECRYPTABLE).expectedStatus()).isEqualTo(422);
		assertThat(report.result(EndToEndRun.REFUSED_MALFORMED).expectedStatus()).isEqualTo(422);
		assertThat(report.result(EndToEndRun.REFUSED_MALFORMED_400).expectedStatus()).isEqualTo(400);
		assertThat(report.allAsExpected()).isTrue();
		// What the README's "Where a refusal's time goes" rests on: Tomcat ends
		// keep-alive after a 400, not after the starter's 422.
		assertThat(report.connectionClosed()).containsExactly(entry(EndToEndRun.ECHO, false),
				entry(EndToEndRun.PHONE_BY_ENCRYPTED_DATA, false), entry(EndToEndRun.PHONE_BY_CODE, false),
				entry(EndToEndRun.LOGIN, false), entry(EndToEndRun.REFUSED_UNDECRYPTABLE, false),
				entry(EndToEndRun.REFUSED_MALFORMED, false), entry(EndToEndRun.REFUSED_UNDECRYPTABLE_400, true),
				entry(EndToEndRun.REFUSED_MALFORMED_400, true));
		assertThat(report.format()).contains("| login | 200 | 40 |", "| refused: malformed (not Base64) | 422 | 40 |",
				" | yes |\n", "phone by encryptedData / echo (req/s): ", "malformed refusal answered 400 / accepted",
				"Every request of every phase was answered");
	}

	@Test
	void aPhaseStopsAtItsTimeLimit() throws InterruptedException {
		try (WeChatSandbox sandbox = WeChatSandbox.start()) {
			URI uri = URI.create(sandbox.baseUrl() + "/sns/jscode2session");
			Scenario scenario = new Scenario("any answer", 200, (count) -> (i) -> HttpRequest.newBuilder(uri).build());
			LoadDriver driver = new LoadDriver(HttpClient.newHttpClient(), 2, () -> 0);
			long started = System.nanoTime();
			ScenarioResult result = driver.run(scenario, 1_000_000, Duration.ofMillis(300));
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
			assertThat(result.requests()).isPositive().isLessThan(1_000_000);
			assertThat(result.statuses().values().stream().mapToInt(Integer::intValue).sum())
				.isEqualTo(result.requests());
		}
	}

	@Test
	void optionsAreParsed() {
		EndToEndSettings settings = EndToEndSettings.parse("--max-seconds=1", "--requests=5", "--only=refused");
		assertThat(settings.maxTime()).isEqualTo(Duration.ofSeconds(1));
		assertThat(settings.requests()).isEqualTo(5);
		assertThat(settings.only()).isEqualTo("refused");
		assertThat(settings.concurrency()).isEqualTo(EndToEndSettings.defaults().concurrency());
		assertThatIllegalArgumentException().isThrownBy(() -> EndToEndSettings.parse("--requests"));
		assertThatIllegalArgumentException().isThrownBy(() -> EndToEndSettings.parse("--speed=11"));
		assertThatIllegalArgumentException().isThrownBy(() -> EndToEndSettings.parse("--requests=0"));
	}

	@Test
	void anUnexpectedStatusIsReported() {
		ScenarioResult mixed = new ScenarioResult("x", 200, 3, Duration.ofSeconds(1), Duration.ofMillis(1),
				Duration.ofMillis(2), Map.of(200, 2, 500, 1), 0);
		ScenarioResult fine = new ScenarioResult("x", 200, 3, Duration.ofSeconds(1), Duration.ofMillis(1),
				Duration.ofMillis(2), Map.of(200, 3), 0);
		assertThat(mixed.allAsExpected()).isFalse();
		assertThat(fine.allAsExpected()).isTrue();
		assertThat(new EndToEndReport(EndToEndSettings.defaults(), List.of(), List.of(fine, mixed), Path.of("log"), 0,
				Map.of())
			.allAsExpected()).isFalse();
	}

	@Test
	void percentilesAreNearestRank() {
		long[] sorted = new long[100];
		for (int i = 0; i < 100; i++) {
			sorted[i] = i + 1;
		}
		assertThat(LoadDriver.percentile(sorted, 0.50)).isEqualTo(Duration.ofNanos(50));
		assertThat(LoadDriver.percentile(sorted, 0.99)).isEqualTo(Duration.ofNanos(99));
		assertThat(LoadDriver.percentile(new long[] { 7 }, 0.99)).isEqualTo(Duration.ofNanos(7));
		assertThat(LoadDriver.percentile(new long[0], 0.5)).isEqualTo(Duration.ZERO);
	}

}
