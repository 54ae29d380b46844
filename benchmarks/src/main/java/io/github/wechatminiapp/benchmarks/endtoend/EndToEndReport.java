package io.github.wechatminiapp.benchmarks.endtoend;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

/**
 * The figures of a run: the measured phases, as a Markdown table, and the ratios issue 21
 * sets targets for, all from this one run.
 *
 * @param settings the bounds of the run
 * @param warmUp the warm-up phases, in order (not reported, but checked like the others)
 * @param measured the measured phases, one a scenario
 * @param logFile where the application logged
 * @param loadAverageBefore the system's load average when the run started (the machine
 * may be shared)
 * @param connectionClosed for each scenario, whether the server closed the connection
 * after its answer
 */
record EndToEndReport(EndToEndSettings settings, List<ScenarioResult> warmUp, List<ScenarioResult> measured,
		Path logFile, double loadAverageBefore, Map<String, Boolean> connectionClosed) {

	ScenarioResult result(String name) {
		return this.measured.stream()
			.filter((result) -> result.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new NoSuchElementException(name));
	}

	/**
	 * Whether every request of every phase, warm-up included, was answered with its
	 * scenario's status.
	 */
	boolean allAsExpected() {
		return this.warmUp.stream().allMatch(ScenarioResult::allAsExpected)
				&& this.measured.stream().allMatch(ScenarioResult::allAsExpected);
	}

	/** Throughput of {@code name} as a fraction of {@code baseline}'s. */
	double throughputRatio(String name, String baseline) {
		return result(name).requestsPerSecond() / result(baseline).requestsPerSecond();
	}

	String format() {
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT,
				"%d requests a scenario (after %d warm-up rounds of %d), %d in flight, "
						+ "%d users; %d cores, load average before the run %.1f%n%n",
				this.settings.requests(), this.settings.warmupRounds(), this.settings.warmupRequests(),
				this.settings.concurrency(), this.settings.users(), Runtime.getRuntime().availableProcessors(),
				this.loadAverageBefore));
		out.append("| scenario | status | requests | req/s | p50 ms | p99 ms | log lines / request "
				+ "| connection closed |\n");
		out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
		for (ScenarioResult result : this.measured) {
			out.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.2f | %.2f | %.2f | %s |%n", result.name(),
					statuses(result), result.requests(), result.requestsPerSecond(), millis(result.p50()),
					millis(result.p99()), (double) result.logLines() / result.requests(),
					this.connectionClosed.getOrDefault(result.name(), false) ? "yes" : "no"));
		}
		out.append('\n');
		if (this.measured.size() < 8) {
			out.append("Only some scenarios were run (--only): no ratios.\n");
			return out.toString();
		}
		ratio(out, "phone by encryptedData / echo (req/s)", EndToEndRun.PHONE_BY_ENCRYPTED_DATA, EndToEndRun.ECHO);
		cost(out, "undecryptable refusal", EndToEndRun.REFUSED_UNDECRYPTABLE);
		cost(out, "malformed refusal", EndToEndRun.REFUSED_MALFORMED);
		cost(out, "undecryptable refusal answered 400", EndToEndRun.REFUSED_UNDECRYPTABLE_400);
		cost(out, "malformed refusal answered 400", EndToEndRun.REFUSED_MALFORMED_400);
		out.append(allAsExpected() ? "Every request of every phase was answered with its expected status.\n"
				: "NOT every request was answered with its expected status: the figures above are not comparable.\n");
		out.append("The application's log: ").append(this.logFile).append('\n');
		return out.toString();
	}

	private void ratio(StringBuilder out, String label, String name, String baseline) {
		out.append(String.format(Locale.ROOT, "- %s: %.2f%n", label, throughputRatio(name, baseline)));
	}

	/**
	 * What a refusal costs against the accepted request on the same endpoint: the inverse
	 * throughput ratio.
	 */
	private void cost(StringBuilder out, String label, String refusal) {
		out.append(String.format(Locale.ROOT,
				"- %s / accepted (time per request, phone by encryptedData): %.2fx" + " (p50 %.2fx)%n", label,
				throughputRatio(EndToEndRun.PHONE_BY_ENCRYPTED_DATA, refusal), (double) result(refusal).p50().toNanos()
						/ result(EndToEndRun.PHONE_BY_ENCRYPTED_DATA).p50().toNanos()));
	}

	private static String statuses(ScenarioResult result) {
		return result.statuses()
			.entrySet()
			.stream()
			.map((entry) -> (result.statuses().size() == 1) ? String.valueOf(entry.getKey())
					: entry.getKey() + " x" + entry.getValue())
			.collect(Collectors.joining(", "));
	}

	private static double millis(Duration duration) {
		return duration.toNanos() / 1e6;
	}

}
