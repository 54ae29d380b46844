package io.github.wechatminiapp.benchmarks;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import io.github.wechatminiapp.session.SessionKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark fills the store with distinct users shaped like WeChat's and reads each
 * one's own key.
 */
class SessionKeyStoreBenchmarkTests {

	@Test
	void openidsAreDistinctAndShapedLikeWeChats() {
		String[] openids = SessionKeyStoreBenchmark.openids(10_000, 1);
		assertThat(new HashSet<>(Arrays.asList(openids))).hasSize(10_000);
		assertThat(openids)
			.allSatisfy((openid) -> assertThat(openid).hasSize(28).startsWith("o").matches("[A-Za-z0-9_-]+"));
		assertThat(SessionKeyStoreBenchmark.openids(3, 1)).containsExactly(Arrays.copyOf(openids, 3));
	}

	@Test
	void everyUserFindsItsOwnKey() {
		SessionKeyStoreBenchmark benchmark = new SessionKeyStoreBenchmark();
		benchmark.users = 1_000;
		benchmark.setUp();
		for (int i = 0; i < 2_000; i++) {
			int user = i % 1_000;
			@SuppressWarnings("unchecked")
			List<SessionKey> keys = (List<SessionKey>) benchmark.findRecent();
			assertThat(keys).containsExactly(benchmark.keys[user]);
		}
		benchmark.saveSameKey();
		assertThat(benchmark.repository.findRecent(benchmark.openids[0])).containsExactly(benchmark.keys[0]);
		assertThat(new HashSet<>(Arrays.asList(benchmark.keys))).hasSize(1_000);
	}

	@Test
	void measuresAStoreThatKeptEveryUser() {
		// Throws if a user was dropped; the figure itself is printed by main, not
		// asserted.
		assertThat(SessionKeyStoreBenchmark.retainedBytesPerUser(20_000)).isPositive();
	}

}
