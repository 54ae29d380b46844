package io.github.wechatminiapp.benchmarks.endtoend;

import java.time.Duration;
import java.util.Map;

/**
 * What one measured phase of a {@link Scenario} gave.
 *
 * @param name the scenario's name
 * @param expectedStatus the status every answer should have had
 * @param requests the requests answered
 * @param elapsed from the first request sent to the last answer received
 * @param p50 the median latency
 * @param p99 the 99th percentile latency
 * @param statuses how many answers had each status ({@code -1}: no answer, an I/O error)
 * @param logLines the lines the application logged during the phase
 */
record ScenarioResult(String name, int expectedStatus, int requests, Duration elapsed, Duration p50, Duration p99,
		Map<Integer, Integer> statuses, long logLines) {

	double requestsPerSecond() {
		return this.requests / (this.elapsed.toNanos() / 1e9);
	}

	/** Whether every request was answered, and with the expected status. */
	boolean allAsExpected() {
		return this.requests > 0 && this.statuses.size() == 1
				&& this.statuses.getOrDefault(this.expectedStatus, 0) == this.requests;
	}

}
