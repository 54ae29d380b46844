package io.github.wechatminiapp.benchmarks.endtoend;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The bounds of a run: every phase stops after its request count or its time, whichever
 * comes first.
 *
 * @param requests requests of each scenario's measured phase
 * @param warmupRequests requests of each scenario's warm-up phase
 * @param warmupRounds how many times every scenario is warmed up, in turn, before any is
 * measured
 * @param concurrency requests in flight at any time
 * @param users logged-in users, taken in turn
 * @param maxTime the longest any phase may last
 * @param logFile where the application logs (replaced at the start of the run)
 * @param only run only the scenarios whose name contains this (for a profiler); empty for
 * all
 */
record EndToEndSettings(int requests, int warmupRequests, int warmupRounds, int concurrency, int users,
		Duration maxTime, Path logFile, String only) {

	EndToEndSettings {
		if (requests < 1 || warmupRequests < 1 || warmupRounds < 0 || concurrency < 1 || users < 1) {
			throw new IllegalArgumentException("requests, warm-up requests, concurrency and users must be positive");
		}
		if (maxTime.isNegative() || maxTime.isZero()) {
			throw new IllegalArgumentException("maxTime must be positive");
		}
	}

	/** The figures of the README: a few minutes on two busy cores. */
	static EndToEndSettings defaults() {
		return new EndToEndSettings(10_000, 5_000, 2, 8, 64, Duration.ofSeconds(60),
				Path.of(System.getProperty("java.io.tmpdir"), "wechat-miniapp-end-to-end.log"), "");
	}

	/**
	 * The defaults with {@code --name=value} arguments applied: {@code --requests},
	 * {@code --warmup-requests}, {@code --warmup-rounds}, {@code --concurrency},
	 * {@code --users}, {@code --max-seconds}, {@code --log-file}, {@code --only}.
	 */
	static EndToEndSettings parse(String... args) {
		EndToEndSettings settings = defaults();
		int requests = settings.requests();
		int warmupRequests = settings.warmupRequests();
		int warmupRounds = settings.warmupRounds();
		int concurrency = settings.concurrency();
		int users = settings.users();
		Duration maxTime = settings.maxTime();
		Path logFile = settings.logFile();
		String only = settings.only();
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (!arg.startsWith("--") || equals < 0) {
				throw new IllegalArgumentException("Expected --name=value, got " + arg);
			}
			String name = arg.substring(2, equals);
			String value = arg.substring(equals + 1);
			switch (name) {
				case "requests" -> requests = Integer.parseInt(value);
				case "warmup-requests" -> warmupRequests = Integer.parseInt(value);
				case "warmup-rounds" -> warmupRounds = Integer.parseInt(value);
				case "concurrency" -> concurrency = Integer.parseInt(value);
				case "users" -> users = Integer.parseInt(value);
				case "max-seconds" -> maxTime = Duration.ofSeconds(Long.parseLong(value));
				case "log-file" -> logFile = Path.of(value);
				case "only" -> only = value;
				default -> throw new IllegalArgumentException("Unknown option --" + name);
			}
		}
		return new EndToEndSettings(requests, warmupRequests, warmupRounds, concurrency, users, maxTime, logFile, only);
	}

}
