package io.github.wechatminiapp.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.github.wechatminiapp.apps.MiniApp;
import io.github.wechatminiapp.apps.MiniAppCredentials;
import io.github.wechatminiapp.apps.MiniAppCredentialsRepository;
import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.autoconfigure.WeChatMiniAppAutoConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link MiniApps} with many apps from a {@link MiniAppCredentialsRepository}, wired by
 * the real auto-configuration: resolving a built app (should not depend on how many there
 * are), and building one on first use. {@link #retainedBytesPerApp(int)} measures what
 * each built app keeps on the heap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class MiniAppsBenchmark {

	static final String SECRET = "0123456789abcdef0123456789abcdef";

	@Param({ "1000", "10000" })
	int apps;

	ConfigurableApplicationContext context;

	MiniApps miniApps;

	String[] appIds;

	int next;

	@Setup(Level.Trial)
	public void setUp() {
		this.context = context(this.apps);
		this.miniApps = this.context.getBean(MiniApps.class);
		this.appIds = new String[this.apps];
		for (int i = 0; i < this.apps; i++) {
			this.appIds[i] = appId(i);
			this.miniApps.app(this.appIds[i]);
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.context.close();
	}

	/** An app built already, the next of all in turn. */
	@Benchmark
	public MiniApp resolveBuiltApp() {
		int i = this.next;
		this.next = (i + 1 == this.appIds.length) ? 0 : i + 1;
		return this.miniApps.app(this.appIds[i]);
	}

	/**
	 * An app's first use after evict: the repository lookup and building its services.
	 */
	@Benchmark
	public MiniApp buildApp() {
		int i = this.next;
		this.next = (i + 1 == this.appIds.length) ? 0 : i + 1;
		this.miniApps.evict(this.appIds[i]);
		return this.miniApps.app(this.appIds[i]);
	}

	static String appId(int i) {
		return String.format("wx%016x", 0xA000_0000L + i);
	}

	/**
	 * A context with the starter and a repository knowing the given number of apps (no
	 * single app).
	 */
	static ConfigurableApplicationContext context(int apps) {
		return new SpringApplicationBuilder(RepositoryConfiguration.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties("spring.main.banner-mode=off", "benchmark.apps=" + apps,
					"wechat.miniapp.runtime-apps.maximum-size=" + Math.max(apps, 1))
			.run();
	}

	/**
	 * Heap kept per built app: builds the apps in a fresh context and compares the used
	 * heap after full collections before and after.
	 * @param apps how many apps to build
	 * @return bytes per app
	 */
	public static long retainedBytesPerApp(int apps) {
		try (ConfigurableApplicationContext context = context(apps)) {
			MiniApps miniApps = context.getBean(MiniApps.class);
			long before = usedHeapAfterGc();
			for (int i = 0; i < apps; i++) {
				miniApps.app(appId(i));
			}
			long after = usedHeapAfterGc();
			if (miniApps.appIds().size() != apps) {
				throw new IllegalStateException("apps were dropped: " + miniApps.appIds().size());
			}
			return (after - before) / apps;
		}
	}

	private static long usedHeapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			System.gc();
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

	/** Prints the heap kept per app for 1,000 and 10,000 apps. */
	public static void main(String[] args) {
		for (int apps : new int[] { 1_000, 10_000 }) {
			System.out.println(apps + " apps: " + retainedBytesPerApp(apps) + " bytes retained per app");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(WeChatMiniAppAutoConfiguration.class)
	static class RepositoryConfiguration {

		@Bean
		MiniAppCredentialsRepository repository(org.springframework.core.env.Environment environment) {
			int apps = environment.getRequiredProperty("benchmark.apps", Integer.class);
			return (appId) -> {
				long index = Long.parseLong(appId.substring(2), 16) - 0xA000_0000L;
				return (index >= 0 && index < apps) ? Optional.of(new MiniAppCredentials(appId, SECRET))
						: Optional.empty();
			};
		}

	}

}
