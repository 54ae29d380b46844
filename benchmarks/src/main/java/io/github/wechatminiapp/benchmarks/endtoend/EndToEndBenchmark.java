package io.github.wechatminiapp.benchmarks.endtoend;

import java.lang.management.ManagementFactory;

/**
 * The end-to-end benchmark of issue 21: a secured Spring Boot app
 * ({@link EndToEndApplication}) on a {@code WeChatSandbox}, both on loopback, driven by a
 * bounded closed-loop driver ({@link LoadDriver}) through eight scenarios: an
 * authenticated echo, the phone number by {@code encryptedData} and by code, a login, and
 * two refused payloads (undecryptable under the right key; not Base64), each answered 422
 * by the starter and, on a second endpoint, 400 by the application. Prints req/s, p50 and
 * p99 of each, and the ratios, as Markdown. Options: see
 * {@link EndToEndSettings#parse(String...)}. Exits 1 when any request was answered with
 * another status than its scenario's.
 */
public final class EndToEndBenchmark {

	private EndToEndBenchmark() {
	}

	public static void main(String[] args) throws InterruptedException {
		EndToEndReport report = new EndToEndRun(EndToEndSettings.parse(args)).run();
		System.out.println();
		System.out.print(report.format());
		System.exit(report.allAsExpected() ? 0 : 1);
	}

	static double loadAverage() {
		return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
	}

}
