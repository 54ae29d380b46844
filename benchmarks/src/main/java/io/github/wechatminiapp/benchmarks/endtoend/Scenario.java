package io.github.wechatminiapp.benchmarks.endtoend;

import java.net.http.HttpRequest;
import java.util.function.IntFunction;

/**
 * One kind of request: its name, the status every one of its requests must be answered
 * with, and the requests themselves, made ready before the clock starts.
 *
 * @param name how the report names it
 * @param expectedStatus the status of every answer
 * @param requests the requests for a phase of a given size: request {@code i} of
 * {@code n}
 */
record Scenario(String name, int expectedStatus, IntFunction<Requests> requests) {

	/**
	 * The prepared requests of one phase; one-time codes are minted beforehand, one per
	 * request.
	 */
	@FunctionalInterface
	interface Requests {

		HttpRequest request(int index);

	}

}
