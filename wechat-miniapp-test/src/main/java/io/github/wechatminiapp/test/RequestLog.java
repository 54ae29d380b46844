package io.github.wechatminiapp.test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the sandbox received, per API, and the faults waiting for the next requests.
 */
final class RequestLog {

	private final Map<WeChatEndpoint, AtomicInteger> counts = new EnumMap<>(WeChatEndpoint.class);

	private final Map<WeChatEndpoint, ConcurrentLinkedQueue<Fault>> faults = new EnumMap<>(WeChatEndpoint.class);

	private final List<String> jsCodes = new ArrayList<>();

	RequestLog() {
		// Filled once and never resized, so the EnumMaps are safe to read from any thread.
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

	/** A queue poll is atomic, so each fault meets exactly one request even under concurrency. */
	Fault nextFault(WeChatEndpoint api) {
		return this.faults.get(api).poll();
	}

	void clearFaults() {
		this.faults.values().forEach(ConcurrentLinkedQueue::clear);
	}

}
