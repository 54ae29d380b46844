package io.github.wechatminiapp.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.apps.CompositeMiniAppCredentialsRepository;
import io.github.wechatminiapp.apps.InMemoryMiniAppCredentialsRepository;
import io.github.wechatminiapp.apps.MiniApp;
import io.github.wechatminiapp.apps.MiniAppCredentials;
import io.github.wechatminiapp.apps.MiniAppCredentialsRepository;
import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.phone.MiniAppLogin;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.SessionKeyNotFoundException;
import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two apps against one {@link WeChatSandbox} serving both: each keeps its own session
 * keys, token, watermark, metrics and health, and nothing of one is ever used for the
 * other.
 */
class MiniAppsIT {

	private static final String SHOP = "wx1111111111111111";

	private static final String SHOP_SECRET = "11111111111111111111111111111111";

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension(
			WeChatSandbox.builder().app(SHOP, SHOP_SECRET));

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private static final String DEFAULT = sandbox.appId();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(RestClientAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class,
						WeChatMiniAppObservabilityAutoConfiguration.class, WeChatMiniAppHealthAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues(sandbox.springPropertyValues());

	private final ApplicationContextRunner twoApps = this.runner.withPropertyValues(
			"wechat.miniapp.apps.shop.app-id=" + SHOP, "wechat.miniapp.apps.shop.app-secret=" + SHOP_SECRET);

	@BeforeEach
	void reset() {
		sandbox.resetCounts();
	}

	@Test
	void sessionKeysAndCodesStayWithTheirApp() {
		this.twoApps.run((context) -> {
			MiniApps apps = context.getBean(MiniApps.class);
			PhoneNumberService shop = apps.phoneNumbers(SHOP);
			PhoneNumberService main = apps.phoneNumbers(DEFAULT);
			WeChatSandboxUser shopper = sandbox.createUser(SHOP);
			// A code of the shop's user sent with the default app's credentials: WeChat
			// refuses it, as here.
			assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> main.login(sandbox.loginCode(shopper)))
				.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(40029));
			MiniAppLogin login = shop.login(sandbox.loginCode(shopper));
			assertThat(login.openid()).isEqualTo(shopper.openid());
			EncryptedData data = sandbox.encryptPhoneNumber(shopper);
			assertThat(shop.decryptPhoneNumber(login.openid(), data.encryptedData(), data.iv()).purePhoneNumber())
				.isEqualTo(shopper.purePhoneNumber());
			// The other app has no key for this user: the shop's key is never used for
			// it.
			assertThatExceptionOfType(SessionKeyNotFoundException.class)
				.isThrownBy(() -> main.decryptPhoneNumber(login.openid(), data.encryptedData(), data.iv()))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(LoginRequiredException.Reason.NO_SESSION_KEY));
			assertThat(apps.app(DEFAULT).sessionKeys().find(login.openid())).isEmpty();
			assertThat(apps.app(SHOP).sessionKeys().find(login.openid())).isPresent();
		});
	}

	@Test
	void theWatermarkMustNameThatApp() {
		this.twoApps.run((context) -> {
			PhoneNumberService shop = context.getBean(MiniApps.class).phoneNumbers(SHOP);
			WeChatSandboxUser shopper = sandbox.createUser(SHOP);
			MiniAppLogin login = shop.login(sandbox.loginCode(shopper));
			EncryptedData forDefault = sandbox.encryptPhoneNumber(shopper, DEFAULT, Instant.now());
			assertThatExceptionOfType(OpenDataException.class)
				.isThrownBy(() -> shop.decryptPhoneNumber(login.openid(), forDefault.encryptedData(), forDefault.iv()))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.WATERMARK_APPID_MISMATCH));
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("wechat.miniapp.open-data.rejected")
				.tag("app", SHOP)
				.tag("reason", "watermark_appid_mismatch")
				.counter()
				.count()).isEqualTo(1);
			assertThat(meters.find("wechat.miniapp.open-data.rejected").tag("app", DEFAULT).counters()).isEmpty();
		});
	}

	@Test
	void eachAppHasItsOwnWatermarkAgeWhenItSetsOne() {
		this.twoApps.withPropertyValues("wechat.miniapp.apps.shop.watermark.max-age=0").run((context) -> {
			MiniApps apps = context.getBean(MiniApps.class);
			Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
			WeChatSandboxUser shopper = sandbox.createUser(SHOP);
			MiniAppLogin shopLogin = apps.phoneNumbers(SHOP).login(sandbox.loginCode(shopper));
			EncryptedData old = sandbox.encryptPhoneNumber(shopper, SHOP, hourAgo);
			assertThat(apps.phoneNumbers(SHOP)
				.decryptPhoneNumber(shopLogin.openid(), old.encryptedData(), old.iv())
				.purePhoneNumber()).isEqualTo(shopper.purePhoneNumber());
			WeChatSandboxUser user = sandbox.createUser();
			MiniAppLogin login = apps.phoneNumbers(DEFAULT).login(sandbox.loginCode(user));
			EncryptedData oldForDefault = sandbox.encryptPhoneNumber(user, DEFAULT, hourAgo);
			assertThatExceptionOfType(OpenDataException.class)
				.isThrownBy(() -> apps.phoneNumbers(DEFAULT)
					.decryptPhoneNumber(login.openid(), oldForDefault.encryptedData(), oldForDefault.iv()))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.WATERMARK_EXPIRED));
		});
	}

	@Test
	void eachAppHasItsOwnTokenAndPhoneCodes() {
		this.twoApps.run((context) -> {
			MiniApps apps = context.getBean(MiniApps.class);
			WeChatSandboxUser shopper = sandbox.createUser(SHOP);
			// The default app's token cannot redeem the shop's phone code: had it been
			// used, this would fail.
			assertThat(apps.phoneNumbers(SHOP).getPhoneNumber(sandbox.phoneCode(shopper)).purePhoneNumber())
				.isEqualTo(shopper.purePhoneNumber());
			assertThatExceptionOfType(WeChatApiException.class)
				.isThrownBy(() -> apps.phoneNumbers(DEFAULT).getPhoneNumber(sandbox.phoneCode(shopper)))
				.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(40029));
			assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(2);
			assertThat(apps.app(SHOP).accessTokens().getAccessToken())
				.isNotEqualTo(apps.app(DEFAULT).accessTokens().getAccessToken());
			assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(2);
		});
	}

	@Test
	void eachAppsClientCallsWeChatAsThatAppWithItsToken() {
		// As the README has it: with several apps, app(appId).client() with
		// app(appId).accessTokens() for any other server API.
		this.twoApps.run((context) -> {
			MiniApps apps = context.getBean(MiniApps.class);
			MiniApp shop = apps.app(SHOP);
			assertThat(shop.client().appId()).isEqualTo(SHOP);
			assertThat(apps.app(DEFAULT).client().appId()).isEqualTo(DEFAULT);
			WeChatSandboxUser shopper = sandbox.createUser(SHOP);
			assertThat(shop.client().code2Session(sandbox.loginCode(shopper)).openid()).isEqualTo(shopper.openid());
			assertThatExceptionOfType(WeChatApiException.class)
				.isThrownBy(() -> apps.app(DEFAULT).client().code2Session(sandbox.loginCode(shopper)))
				.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(40029));
			byte[] code = shop.accessTokens()
				.execute((token) -> shop.client()
					.postForBytes("/wxa/getwxacodeunlimit", token,
							Map.of("scene", "order=42", "page", "pages/index/index", "check_path", false)));
			assertThat(code).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
			assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(1);
		});
	}

	@Test
	void healthIsReportedPerApp() {
		this.twoApps.run((context) -> {
			MiniApps apps = context.getBean(MiniApps.class);
			CompositeHealthContributor health = context.getBean("wechatMiniAppHealthContributor",
					CompositeHealthContributor.class);
			assertThat(health.stream().map(HealthContributors.Entry::name)).containsExactly(DEFAULT, SHOP);
			apps.app(SHOP).accessTokens().getAccessToken();
			assertThat(((HealthIndicator) health.getContributor(SHOP)).health().getStatus()).isEqualTo(Status.UP);
			assertThat(((HealthIndicator) health.getContributor(DEFAULT)).health().getStatus())
				.isEqualTo(Status.UNKNOWN);
			assertThat(health.getContributor("wx9999999999999999")).isNull();
			assertThat(((HealthIndicator) health.getContributor(SHOP)).health().getDetails().toString())
				.doesNotContain(apps.app(SHOP).accessTokens().getAccessToken());
		});
	}

	@Test
	void appsFromARepositoryShareOneHttpClientAndCostNoThreads() {
		AtomicInteger lookups = new AtomicInteger();
		Map<String, String> table = new ConcurrentHashMap<>();
		table.put(SHOP, SHOP_SECRET);
		for (int i = 0; i < 1_000; i++) {
			table.put(String.format("wx%016x", 0xA0000L + i), SHOP_SECRET);
		}
		MiniAppCredentialsRepository repository = (appId) -> {
			lookups.incrementAndGet();
			return Optional.ofNullable(table.get(appId)).map((secret) -> new MiniAppCredentials(appId, secret));
		};
		// Beside the app of the properties: the two composed.
		MiniAppCredentialsRepository both = new CompositeMiniAppCredentialsRepository(
				new InMemoryMiniAppCredentialsRepository(
						List.of(new MiniAppCredentials(sandbox.appId(), sandbox.appSecret()))),
				repository);
		this.runner.withBean(MiniAppCredentialsRepository.class, () -> both).run((context) -> {
			MiniApps apps = context.getBean(MiniApps.class);
			// The shared HTTP client exists once the app of the properties has called
			// WeChat.
			apps.phoneNumbers(DEFAULT).login(sandbox.loginCode(sandbox.createUser()));
			Set<String> threadsBefore = threads("");
			Set<String> httpThreadsBefore = threads("SelectorManager");
			Map<MiniApp, Boolean> distinct = new IdentityHashMap<>();
			List<String> ids = new ArrayList<>(table.keySet());
			for (String appId : ids) {
				distinct.put(apps.app(appId), Boolean.TRUE);
			}
			assertThat(distinct).hasSize(1_001);
			assertThat(lookups).hasValue(1_001);
			assertThat(apps.appIds()).hasSize(1_002);
			// Resolved again: cached, no further lookup.
			for (String appId : ids) {
				apps.app(appId);
			}
			assertThat(lookups).hasValue(1_001);
			// Resolving 1,000 apps started no thread of its own: a pool per app would
			// have started a thousand. (Other
			// tests' closed clients may still end their threads, or a library start one
			// of its own, meanwhile.)
			assertThat(started(threadsBefore, "")).hasSizeLessThan(3);
			// A runtime app calling WeChat goes through the same HTTP client: no selector
			// thread of its own.
			WeChatSandboxUser shopper = sandbox.createUser(SHOP);
			assertThat(apps.phoneNumbers(SHOP).login(sandbox.loginCode(shopper)).openid()).isEqualTo(shopper.openid());
			assertThat(started(httpThreadsBefore, "SelectorManager")).isEmpty();
		});
	}

	private static Set<String> started(Set<String> before, String nameContaining) {
		Set<String> started = threads(nameContaining);
		started.removeAll(before);
		return started;
	}

	/**
	 * Live threads whose name contains the text, but the sandbox's. The JDK HTTP client
	 * runs one "SelectorManager" thread per client instance.
	 */
	private static Set<String> threads(String nameContaining) {
		Set<String> names = new java.util.TreeSet<>();
		Thread.getAllStackTraces().keySet().forEach((thread) -> {
			if (thread.isAlive() && thread.getName().contains(nameContaining)
					&& !thread.getName().startsWith("wechat-sandbox-")) {
				names.add(thread.getName());
			}
		});
		return names;
	}

}
