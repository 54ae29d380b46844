package io.github.wechatminiapp.benchmarks.endtoend;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The end-to-end benchmark with tiny counts: the app starts on the sandbox, every scenario is answered with its
 * status, and the report holds every figure. Says nothing about speed.
 */
class EndToEndBenchmarkTests {

	@Test
	void everyScenarioIsAnsweredWithItsStatus(@TempDir Path directory) throws InterruptedException {
		EndToEndSettings settings = new EndToEndSettings(40, 10, 1, 2, 3, Duration.ofSeconds(60),
				directory.resolve("app.log"));
		EndToEndReport report = new EndToEndRun(settings).run();
		assertThat(report.measured()).extracting(ScenarioResult::name)
			.containsExactly(EndToEndRun.ECHO, EndToEndRun.PHONE_BY_ENCRYPTED_DATA, EndToEndRun.PHONE_BY_CODE,
					EndToEndRun.LOGIN, EndToEndRun.REFUSED_UNDECRYPTABLE, EndToEndRun.REFUSED_MALFORMED);
		assertThat(report.warmUp()).hasSize(6);
		assertThat(report.measured()).allSatisfy((result) -> {
			assertThat(result.requests()).isEqualTo(40);
			assertThat(result.statuses()).isEqualTo(Map.of(result.expectedStatus(), 40));
			assertThat(result.p50()).isPositive().isLessThanOrEqualTo(result.p99());
			assertThat(result.requestsPerSecond()).isPositive();
		});
		assertThat(report.result(EndToEndRun.REFUSED_UNDECRYPTABLE).expectedStatus()).isEqualTo(400);
		assertThat(report.result(EndToEndRun.REFUSED_MALFORMED).expectedStatus()).isEqualTo(400);
		assertThat(report.allAsExpected()).isTrue();
		assertThat(report.format()).contains("| login | 200 | 40 |", "| refused: malformed (not Base64) | 400 | 40 |",
				"phone by encryptedData / echo (req/s): ", "Every request of every phase was answered");
	}

	@Test
	void aPhaseStopsAtItsTimeLimit(@TempDir Path directory) {
		assertThat(EndToEndSettings.parse("--max-seconds=1", "--requests=5").maxTime()).isEqualTo(Duration.ofSeconds(1));
		assertThatIllegalArgumentException().isThrownBy(() -> EndToEndSettings.parse("--requests"));
		assertThatIllegalArgumentException().isThrownBy(() -> EndToEndSettings.parse("--speed=11"));
	}

	@Test
	void anUnexpectedStatusIsReported() {
		ScenarioResult mixed = new ScenarioResult("x", 200, 3, Duration.ofSeconds(1), Duration.ofMillis(1),
				Duration.ofMillis(2), Map.of(200, 2, 500, 1), 0);
		ScenarioResult fine = new ScenarioResult("x", 200, 3, Duration.ofSeconds(1), Duration.ofMillis(1),
				Duration.ofMillis(2), Map.of(200, 3), 0);
		assertThat(mixed.allAsExpected()).isFalse();
		assertThat(fine.allAsExpected()).isTrue();
		assertThat(new EndToEndReport(EndToEndSettings.defaults(), List.of(), List.of(fine, mixed), Path.of("log"), 0)
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
