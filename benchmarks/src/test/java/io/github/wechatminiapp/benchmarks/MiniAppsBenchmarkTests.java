package io.github.wechatminiapp.benchmarks;

import java.util.IdentityHashMap;
import java.util.Map;

import io.github.wechatminiapp.apps.MiniApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark resolves and builds real, distinct apps.
 */
class MiniAppsBenchmarkTests {

	private final MiniAppsBenchmark benchmark = new MiniAppsBenchmark();

	@BeforeEach
	void setUp() {
		this.benchmark.apps = 1_000;
		this.benchmark.setUp();
	}

	@AfterEach
	void tearDown() {
		this.benchmark.tearDown();
	}

	@Test
	void resolvesEveryAppInTurn() {
		Map<MiniApp, Boolean> seen = new IdentityHashMap<>();
		for (int i = 0; i < 2_000; i++) {
			seen.put(this.benchmark.resolveBuiltApp(), Boolean.TRUE);
		}
		assertThat(seen).hasSize(1_000);
		assertThat(this.benchmark.miniApps.appIds()).hasSize(1_000);
	}

	@Test
	void buildingGivesANewAppForTheSameId() {
		MiniApp before = this.benchmark.miniApps.app(MiniAppsBenchmark.appId(0));
		MiniApp built = this.benchmark.buildApp();
		assertThat(built.appId()).isEqualTo(MiniAppsBenchmark.appId(0));
		assertThat(built).isNotSameAs(before);
	}

}
