package io.github.wechatminiapp.benchmarks.endtoend;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A closed-loop load driver on {@code java.net.http}: a fixed number of threads, each
 * sending its next request as soon as the previous one is answered, until the phase's
 * request count is reached or its time is up, whichever comes first. Every latency is
 * kept (one {@code long} a request), so the percentiles are exact.
 */
final class LoadDriver {

	private final HttpClient client;

	private final int concurrency;

	private final LongSupplier logLines;

	/**
	 * @param client the client, shared by all threads (it keeps one connection per thread
	 * busy)
	 * @param concurrency the requests in flight at any time
	 * @param logLines how many lines the application has logged so far
	 */
	LoadDriver(HttpClient client, int concurrency, LongSupplier logLines) {
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be at least 1");
		}
		this.client = client;
		this.concurrency = concurrency;
		this.logLines = logLines;
	}

	ScenarioResult run(Scenario scenario, int requests, Duration maxTime) throws InterruptedException {
		Scenario.Requests prepared = scenario.requests().apply(requests);
		long[] latencies = new long[requests];
		int[] statuses = new int[requests];
		AtomicInteger next = new AtomicInteger();
		CountDownLatch done = new CountDownLatch(this.concurrency);
		long logLinesBefore = this.logLines.getAsLong();
		long start = System.nanoTime();
		long deadline = start + maxTime.toNanos();
		for (int t = 0; t < this.concurrency; t++) {
			Thread worker = new Thread(() -> {
				try {
					send(prepared, latencies, statuses, next, requests, deadline);
				}
				finally {
					done.countDown();
				}
			}, "end-to-end-driver-" + t);
			worker.setDaemon(true);
			worker.start();
		}
		done.await();
		long elapsed = System.nanoTime() - start;
		long logLinesAfter = this.logLines.getAsLong();
		int answered = (int) Arrays.stream(statuses).filter((status) -> status != 0).count();
		long[] measured = new long[answered];
		Map<Integer, Integer> counts = new TreeMap<>();
		int m = 0;
		for (int i = 0; i < requests; i++) {
			if (statuses[i] != 0) {
				measured[m++] = latencies[i];
				counts.merge(statuses[i], 1, Integer::sum);
			}
		}
		Arrays.sort(measured);
		return new ScenarioResult(scenario.name(), scenario.expectedStatus(), answered, Duration.ofNanos(elapsed),
				percentile(measured, 0.50), percentile(measured, 0.99), counts, logLinesAfter - logLinesBefore);
	}

	private void send(Scenario.Requests prepared, long[] latencies, int[] statuses, AtomicInteger next, int requests,
			long deadline) {
		while (System.nanoTime() < deadline) {
			int i = next.getAndIncrement();
			if (i >= requests) {
				return;
			}
			long sent = System.nanoTime();
			int status;
			try {
				status = this.client.send(prepared.request(i), HttpResponse.BodyHandlers.discarding()).statusCode();
			}
			catch (IOException ex) {
				status = -1;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			latencies[i] = System.nanoTime() - sent;
			statuses[i] = status;
		}
	}

	/** The nearest-rank percentile of sorted latencies. */
	static Duration percentile(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return Duration.ZERO;
		}
		int rank = (int) Math.ceil(quantile * sorted.length);
		return Duration.ofNanos(sorted[Math.max(rank, 1) - 1]);
	}

}
