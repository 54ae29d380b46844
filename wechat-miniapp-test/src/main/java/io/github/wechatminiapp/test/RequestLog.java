package io.github.wechatminiapp.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * What the sandbox received, per API, and the faults waiting for the next requests.
 */
final class RequestLog {

	private final Map<WeChatEndpoint, AtomicInteger> counts = new EnumMap<>(WeChatEndpoint.class);

	private final Map<WeChatEndpoint, ConcurrentLinkedQueue<Fault>> faults = new EnumMap<>(WeChatEndpoint.class);

	private final List<String> jsCodes = new ArrayList<>();

	private final Map<WeChatEndpoint, Outage> outages = new ConcurrentHashMap<>();

	RequestLog() {
		// Filled once and never resized, so the EnumMaps are safe to read from any
		// thread.
		for (WeChatEndpoint api : WeChatEndpoint.values()) {
			this.counts.put(api, new AtomicInteger());
			this.faults.put(api, new ConcurrentLinkedQueue<>());
		}
	}

	void record(WeChatEndpoint api) {
		this.counts.get(api).incrementAndGet();
	}

	synchronized void recordJsCode(String jsCode) {
		this.jsCodes.add(jsCode);
	}

	int count(WeChatEndpoint api) {
		return this.counts.get(api).get();
	}

	int total() {
		return this.counts.values().stream().mapToInt(AtomicInteger::get).sum();
	}

	synchronized List<String> jsCodes() {
		return List.copyOf(this.jsCodes);
	}

	synchronized void reset() {
		this.counts.values().forEach((count) -> count.set(0));
		this.jsCodes.clear();
	}

	void enqueueFault(WeChatEndpoint api, Fault fault) {
		this.faults.get(api).add(fault);
	}

	/**
	 * A queue poll is atomic, so each fault meets exactly one request even under
	 * concurrency.
	 * @param api the endpoint called
	 * @return the next queued fault, or {@code null}
	 */
	@Nullable Fault nextFault(WeChatEndpoint api) {
		return this.faults.get(api).poll();
	}

	void clearFaults() {
		this.faults.values().forEach(ConcurrentLinkedQueue::clear);
	}

	void startOutage(WeChatEndpoint api, Fault fault, Duration duration) {
		Outage previous = this.outages.put(api, new Outage(fault, System.nanoTime() + duration.toNanos()));
		if (previous != null) {
			previous.ended.countDown();
		}
	}

	void endOutage(WeChatEndpoint api) {
		Outage outage = this.outages.remove(api);
		if (outage != null) {
			outage.ended.countDown();
		}
	}

	void endOutages() {
		for (WeChatEndpoint api : WeChatEndpoint.values()) {
			endOutage(api);
		}
	}

	/**
	 * The outage of an API now, or {@code null}; one whose time is over ends here.
	 * @param api the endpoint
	 * @return the outage, or {@code null}
	 */
	@Nullable Outage outage(WeChatEndpoint api) {
		Outage outage = this.outages.get(api);
		if (outage != null && outage.remainingNanos() <= 0) {
			this.outages.remove(api, outage);
			outage.ended.countDown();
			return null;
		}
		return outage;
	}

	/** Every request of one API meets the same fault until the outage ends. */
	static final class Outage {

		private final Fault fault;

		private final long endNanos;

		private final CountDownLatch ended = new CountDownLatch(1);

		Outage(Fault fault, long endNanos) {
			this.fault = fault;
			this.endNanos = endNanos;
		}

		Fault fault() {
			return this.fault;
		}

		long remainingNanos() {
			return this.endNanos - System.nanoTime();
		}

		/**
		 * Holds a hung request until the outage ends, is replaced or times out, or the
		 * sandbox closes.
		 */
		void awaitEnd() throws InterruptedException {
			this.ended.await(Math.min(remainingNanos(), Fault.HANG_LIMIT.toNanos()), TimeUnit.NANOSECONDS);
		}

	}

}
