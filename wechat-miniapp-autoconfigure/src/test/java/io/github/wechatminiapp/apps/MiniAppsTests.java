package io.github.wechatminiapp.apps;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.wechatminiapp.StoreAccessException;
import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.opendata.OpenDataService;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.testsupport.OfflineClients;
import io.github.wechatminiapp.token.CachingAccessTokenProvider;
import io.github.wechatminiapp.token.InMemoryAccessTokenStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MiniAppsTests {

	private static final String CONFIGURED = "wx0000000000000001";

	private static final String RUNTIME = "wx00000000000000a1";

	private static final String SECRET = "0123456789abcdef0123456789abcdef";

	private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

	private final AtomicInteger builds = new AtomicInteger();

	private final Map<String, String> table = new ConcurrentHashMap<>(Map.of(RUNTIME, SECRET));

	private final MiniAppCredentialsRepository repository = (appId) -> {
		this.lookups.computeIfAbsent(appId, (id) -> new AtomicInteger()).incrementAndGet();
		return Optional.ofNullable(this.table.get(appId)).map((secret) -> new MiniAppCredentials(appId, secret));
	};

	private MiniApps apps(long maximumSize, Duration unknownTimeToLive) {
		return new MiniApps(List.of(app(CONFIGURED)), this.repository, (credentials) -> {
			this.builds.incrementAndGet();
			return app(credentials.appId());
		}, maximumSize, unknownTimeToLive);
	}

	static MiniApp app(String appId) {
		CaffeineSessionKeyRepository keys = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		// Never called: these tests resolve apps, they do not reach WeChat.
		WeChatMiniAppClient client = OfflineClients.client(appId);
		CachingAccessTokenProvider tokens = new CachingAccessTokenProvider(client, new InMemoryAccessTokenStore());
		return new MiniApp(appId, client, new PhoneNumberService(client, keys, tokens),
				new OpenDataService(appId, keys), tokens, keys);
	}

	private int lookups(String appId) {
		AtomicInteger count = this.lookups.get(appId);
		return (count != null) ? count.get() : 0;
	}

	@Test
	void configuredAppsNeedNoRepository() {
		MiniApps apps = apps(10, Duration.ofSeconds(30));
		MiniApp configured = apps.app(CONFIGURED);
		assertThat(apps.phoneNumbers(CONFIGURED)).isSameAs(configured.phoneNumbers());
		assertThat(lookups(CONFIGURED)).isZero();
		assertThat(apps.appIds()).containsExactly(CONFIGURED);
		assertThat(apps.loadedApp(CONFIGURED)).containsSame(configured);
	}

	@Test
	void runtimeAppsAreBuiltOnceOnFirstUse() {
		MiniApps apps = apps(10, Duration.ofSeconds(30));
		assertThat(apps.loadedApp(RUNTIME)).isEmpty();
		MiniApp app = apps.app(RUNTIME);
		assertThat(app.appId()).isEqualTo(RUNTIME);
		assertThat(apps.app(RUNTIME)).isSameAs(app);
		assertThat(apps.phoneNumbers(RUNTIME)).isSameAs(app.phoneNumbers());
		assertThat(lookups(RUNTIME)).isEqualTo(1);
		assertThat(this.builds).hasValue(1);
		assertThat(apps.appIds()).containsExactly(CONFIGURED, RUNTIME);
		assertThat(apps.loadedApps()).extracting(MiniApp::appId).containsExactly(CONFIGURED, RUNTIME);
		assertThat(apps.loadedApp(RUNTIME)).containsSame(app);
		assertThat(apps.toString()).contains(CONFIGURED, RUNTIME).doesNotContain(SECRET);
	}

	@Test
	void aBurstOfFirstRequestsLoadsTheAppOnce() throws Exception {
		MiniApps apps = apps(10, Duration.ofSeconds(30));
		int threads = 64;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<MiniApp>> results = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				results.add(pool.submit(() -> {
					start.await();
					return apps.app(RUNTIME);
				}));
			}
			start.countDown();
			MiniApp first = results.get(0).get();
			for (Future<MiniApp> result : results) {
				assertThat(result.get()).isSameAs(first);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(lookups(RUNTIME)).isEqualTo(1);
		assertThat(this.builds).hasValue(1);
	}

	@Test
	void malformedIdsAreRefusedWithoutALookupOrAnEcho() {
		MiniApps apps = apps(10, Duration.ofSeconds(30));
		for (String garbage : new String[] { null, "", "wx123", "wx00000000000000a1 ", "' OR 1=1 --",
				"wx" + "a".repeat(100_000) }) {
			assertThatExceptionOfType(UnknownMiniAppException.class).isThrownBy(() -> apps.phoneNumbers(garbage))
				.withMessage("malformed app id");
		}
		assertThat(this.lookups).isEmpty();
		assertThat(apps.loadedApp(null)).isEmpty();
		apps.evict(null);
	}

	@Test
	void unknownIdsAreRememberedBriefly() {
		String unknown = "wx00000000000000b2";
		MiniApps apps = apps(10, Duration.ofMinutes(1));
		for (int i = 0; i < 5; i++) {
			assertThatExceptionOfType(UnknownMiniAppException.class).isThrownBy(() -> apps.app(unknown))
				.withMessageContaining(unknown)
				.isInstanceOf(WeChatMiniAppException.class);
		}
		assertThat(lookups(unknown)).isEqualTo(1);
		assertThat(apps.appIds()).doesNotContain(unknown);
		// Registered since: evict makes the next use ask again.
		this.table.put(unknown, SECRET);
		apps.evict(unknown);
		assertThat(apps.app(unknown).appId()).isEqualTo(unknown);
		assertThat(lookups(unknown)).isEqualTo(2);
	}

	@Test
	void withoutRememberingUnknownIdsEveryUseAsks() {
		String unknown = "wx00000000000000b2";
		MiniApps apps = apps(10, Duration.ZERO);
		assertThatExceptionOfType(UnknownMiniAppException.class).isThrownBy(() -> apps.app(unknown));
		assertThatExceptionOfType(UnknownMiniAppException.class).isThrownBy(() -> apps.app(unknown));
		assertThat(lookups(unknown)).isEqualTo(2);
	}

	@Test
	void aFloodOfMadeUpIdsDoesNotPushRealAppsOut() {
		MiniApps apps = apps(2, Duration.ofMinutes(1));
		MiniApp real = apps.app(RUNTIME);
		for (int i = 0; i < 2_000; i++) {
			String madeUp = String.format("wx%016x", 0xF000_0000L + i);
			assertThatExceptionOfType(UnknownMiniAppException.class).isThrownBy(() -> apps.app(madeUp));
		}
		assertThat(apps.app(RUNTIME)).isSameAs(real);
		assertThat(lookups(RUNTIME)).isEqualTo(1);
	}

	@Test
	void loadedAppsAreBounded() {
		MiniApps apps = apps(5, Duration.ofSeconds(30));
		for (int i = 0; i < 50; i++) {
			String appId = String.format("wx%016x", 0xA000L + i);
			this.table.put(appId, SECRET);
			apps.app(appId);
		}
		assertThat(apps.loadedApps()).hasSizeLessThanOrEqualTo(1 + 5);
		assertThat(apps.appIds()).hasSizeLessThanOrEqualTo(1 + 5).contains(CONFIGURED);
	}

	@Test
	void evictDropsARuntimeAppButNeverAConfiguredOne() {
		MiniApps apps = apps(10, Duration.ofSeconds(30));
		MiniApp before = apps.app(RUNTIME);
		MiniApp configured = apps.app(CONFIGURED);
		apps.evict(RUNTIME);
		apps.evict(CONFIGURED);
		assertThat(apps.appIds()).containsExactly(CONFIGURED);
		assertThat(apps.app(CONFIGURED)).isSameAs(configured);
		assertThat(apps.app(RUNTIME)).isNotSameAs(before);
		assertThat(lookups(RUNTIME)).isEqualTo(2);
	}

	@Test
	void aFailingRepositoryIsReportedAndAskedAgainNextTime() {
		AtomicInteger calls = new AtomicInteger();
		MiniApps apps = new MiniApps(List.of(), (appId) -> {
			if (calls.incrementAndGet() == 1) {
				throw new IllegalStateException("database down");
			}
			return Optional.of(new MiniAppCredentials(appId, SECRET));
		}, (credentials) -> app(credentials.appId()), 10, Duration.ofSeconds(30));
		assertThatExceptionOfType(StoreAccessException.class).isThrownBy(() -> apps.app(RUNTIME))
			.withMessageContaining("MiniAppCredentialsRepository")
			.withCauseInstanceOf(IllegalStateException.class);
		assertThat(apps.app(RUNTIME).appId()).isEqualTo(RUNTIME);
		assertThat(calls).hasValue(2);
	}

	@Test
	void credentialsOfAnotherAppAreNeverServedUnderThisId() {
		MiniApps apps = new MiniApps(List.of(),
				(appId) -> Optional.of(new MiniAppCredentials("wx00000000000000c3", SECRET)),
				(credentials) -> app(credentials.appId()), 10, Duration.ofSeconds(30));
		assertThatExceptionOfType(WeChatMiniAppException.class).isThrownBy(() -> apps.app(RUNTIME))
			.withMessageContaining("another app")
			.withMessageNotContaining(SECRET);
		assertThat(apps.appIds()).isEmpty();
	}

	@Test
	void aRepositoryAnsweringNullMeansUnknown() {
		MiniApps apps = new MiniApps(List.of(), (appId) -> null, (credentials) -> app(credentials.appId()), 10,
				Duration.ofSeconds(30));
		assertThatExceptionOfType(UnknownMiniAppException.class).isThrownBy(() -> apps.app(RUNTIME));
	}

	@Test
	void withoutARepositoryOnlyConfiguredAppsExist() {
		MiniApps apps = new MiniApps(List.of(app(CONFIGURED)));
		assertThat(apps.app(CONFIGURED).appId()).isEqualTo(CONFIGURED);
		assertThatExceptionOfType(UnknownMiniAppException.class).isThrownBy(() -> apps.app(RUNTIME))
			.withMessageContaining(RUNTIME);
		assertThat(apps.loadedApp(RUNTIME)).isEmpty();
	}

	@Test
	void anAppIsConfiguredOnce() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MiniApps(List.of(app(CONFIGURED), app(CONFIGURED))))
			.withMessageContaining(CONFIGURED);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniApps(List.of(), this.repository, MiniAppsTests::build, 0, Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(
				() -> new MiniApps(List.of(), this.repository, MiniAppsTests::build, 1, Duration.ofSeconds(-1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniApps(List.of(), this.repository, MiniAppsTests::build, 1, null));
		assertThatIllegalArgumentException().isThrownBy(() -> app("not-an-app-id"));
	}

	@Test
	void anAppHasItsClient() {
		MiniApp app = app(CONFIGURED);
		assertThat(app.client().appId()).isEqualTo(CONFIGURED);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniApp(CONFIGURED, null, app.phoneNumbers(), app.openData(), app.accessTokens(),
					app.sessionKeys()))
			.withMessageContaining("client");
	}

	@Test
	void anAppSaysWhichItIsAndNothingElse() {
		assertThat(app(CONFIGURED)).hasToString("MiniApp[" + CONFIGURED + "]");
	}

	private static MiniApp build(MiniAppCredentials credentials) {
		return app(credentials.appId());
	}

}
