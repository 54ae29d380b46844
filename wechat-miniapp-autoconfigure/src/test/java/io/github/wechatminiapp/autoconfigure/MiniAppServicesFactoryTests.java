package io.github.wechatminiapp.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.apps.MiniApp;
import io.github.wechatminiapp.apps.MiniAppCredentials;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.opendata.FailureBudgetListener;
import io.github.wechatminiapp.opendata.OpenDataRejectionListener;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.testsupport.OfflineClients;
import io.github.wechatminiapp.token.CachingAccessTokenProvider;
import io.github.wechatminiapp.token.InMemoryAccessTokenStore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * How each app's services are built, with its own settings where the properties give
 * some.
 */
class MiniAppServicesFactoryTests {

	private static final String APP_ID = "wx0123456789abcdef";

	private static final String SHOP = "wx1111111111111111";

	private static final String SECRET = "0123456789abcdef0123456789abcdef";

	private static final WeChatMiniAppClient SHARED = OfflineClients.client("wx0000000000000000");

	private final WeChatMiniAppProperties properties = new WeChatMiniAppProperties();

	private final AtomicInteger redisAsked = new AtomicInteger();

	private MiniAppServicesFactory factory(OpenDataRejectionListener listener) {
		return new MiniAppServicesFactory(this.properties, SHARED::withCredentials, () -> {
			this.redisAsked.incrementAndGet();
			return null;
		}, () -> listener, () -> FailureBudgetListener.NONE, () -> JsonMapper.builder().build(), Clock.systemUTC());
	}

	private WeChatMiniAppProperties.App shop() {
		WeChatMiniAppProperties.App shop = new WeChatMiniAppProperties.App();
		shop.setAppId(SHOP);
		shop.setAppSecret(SECRET);
		this.properties.getApps().put("shop", shop);
		return shop;
	}

	@Test
	void theSingleAppIsTheOnlyAppOfTheProperties() {
		assertThatIllegalStateException().isThrownBy(() -> factory(OpenDataRejectionListener.NONE).singleApp())
			.withMessage("0 apps configured, not one");
		shop();
		assertThat(factory(OpenDataRejectionListener.NONE).singleApp().appId()).isEqualTo(SHOP);
		this.properties.setAppId(APP_ID);
		this.properties.setAppSecret(SECRET);
		assertThatIllegalStateException().isThrownBy(() -> factory(OpenDataRejectionListener.NONE).singleApp())
			.withMessage("2 apps configured, not one");
		assertThat(this.properties.credentials()).extracting(MiniAppCredentials::appId).containsExactly(APP_ID, SHOP);
	}

	@Test
	void eachClientIsAViewWithItsAppsCredentials() {
		MiniAppServicesFactory factory = factory(OpenDataRejectionListener.NONE);
		assertThat(factory.client(new MiniAppCredentials(SHOP, SECRET)).appId()).isEqualTo(SHOP);
		MiniApp app = factory.create(new MiniAppCredentials(SHOP, SECRET));
		assertThat(app.appId()).isEqualTo(SHOP);
		assertThat(app.sessionKeys()).isInstanceOf(CaffeineSessionKeyRepository.class);
		assertThat(app.accessTokens()).isInstanceOf(CachingAccessTokenProvider.class);
		assertThat(factory.accessTokenStore(SHOP)).isInstanceOf(InMemoryAccessTokenStore.class);
		assertThat(this.redisAsked).hasValue(0);
	}

	@Test
	void anAppsOwnSessionSizeApplies() {
		WeChatMiniAppProperties.App shop = shop();
		shop.getSession().setMaximumSize(1L);
		MiniAppServicesFactory factory = factory(OpenDataRejectionListener.NONE);
		assertThat(keptOf(factory.caffeineSessionKeys(SHOP), 50)).isLessThanOrEqualTo(2);
		assertThat(keptOf(factory.caffeineSessionKeys(APP_ID), 50)).isEqualTo(50);
	}

	@Test
	void anAppsOwnSessionLifetimeApplies() throws InterruptedException {
		WeChatMiniAppProperties.App shop = shop();
		shop.getSession().setTimeToLive(Duration.ofMillis(50));
		shop.getSession().setPreviousKeyTimeToLive(Duration.ZERO);
		MiniAppServicesFactory factory = factory(OpenDataRejectionListener.NONE);
		CaffeineSessionKeyRepository shopKeys = factory.caffeineSessionKeys(SHOP);
		CaffeineSessionKeyRepository otherKeys = factory.caffeineSessionKeys(APP_ID);
		shopKeys.save("o1", key(1));
		shopKeys.save("o1", key(2));
		otherKeys.save("o1", key(1));
		otherKeys.save("o1", key(2));
		assertThat(shopKeys.findRecent("o1")).hasSizeLessThanOrEqualTo(1);
		assertThat(otherKeys.findRecent("o1")).hasSize(2);
		Thread.sleep(120);
		assertThat(shopKeys.find("o1")).isEmpty();
		assertThat(otherKeys.find("o1")).isPresent();
	}

	@Test
	void redisStoresAreRequiredWhenAskedFor() {
		this.properties.setStore(WeChatMiniAppProperties.StoreType.REDIS);
		MiniAppServicesFactory factory = factory(OpenDataRejectionListener.NONE);
		assertThatIllegalStateException().isThrownBy(() -> factory.sessionKeys(SHOP))
			.withMessageContaining("wechat.miniapp.store=redis needs Spring Data Redis");
		assertThatIllegalStateException().isThrownBy(() -> factory.accessTokenStore(SHOP))
			.withMessageContaining("wechat.miniapp.store=redis needs Spring Data Redis");
	}

	@Test
	void rejectionsAreToldToTheListenerOfTheirApp() {
		List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
		OpenDataRejectionListener listener = new OpenDataRejectionListener() {
			@Override
			public void rejected(Reason reason) {
				told.add("unbound:" + reason);
			}

			@Override
			public OpenDataRejectionListener forApp(String appId) {
				return new OpenDataRejectionListener() {
					@Override
					public void rejected(Reason reason) {
						told.add(appId + ":" + reason);
					}

					@Override
					public void loginRequired(LoginRequiredException.Reason reason) {
						told.add(appId + ":" + reason);
					}
				};
			}
		};
		MiniApp app = factory(listener).create(new MiniAppCredentials(SHOP, SECRET));
		org.assertj.core.api.Assertions.assertThatException()
			.isThrownBy(() -> app.phoneNumbers().decryptPhoneNumber("o1", "AAAA", "AAAA"));
		assertThat(told).containsExactly(SHOP + ":" + LoginRequiredException.Reason.NO_SESSION_KEY);
	}

	@Test
	void theDefaultListenerIgnoresTheApp() {
		OpenDataRejectionListener listener = (reason) -> {
		};
		assertThat(listener.forApp(SHOP)).isSameAs(listener);
	}

	@Test
	void aUserClientIsTheTemplateOfEveryOtherAppsClient() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(RestClientAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
			.withBean(WeChatMiniAppClient.class, () -> SHARED.withCredentials(APP_ID, SECRET))
			.withPropertyValues("wechat.miniapp.app-id=" + APP_ID, "wechat.miniapp.app-secret=" + SECRET,
					"wechat.miniapp.apps.shop.app-id=" + SHOP, "wechat.miniapp.apps.shop.app-secret=" + SECRET)
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(WeChatMiniAppHttpResources.class);
				MiniAppServicesFactory factory = context.getBean(MiniAppServicesFactory.class);
				assertThat(factory.client(new MiniAppCredentials(SHOP, SECRET)).appId()).isEqualTo(SHOP);
			});
	}

	@Test
	void severalAppsOnRedisWithoutRedisFailStartupClearly() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(RestClientAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
			.withPropertyValues("wechat.miniapp.store=redis", "wechat.miniapp.apps.a.app-id=" + APP_ID,
					"wechat.miniapp.apps.a.app-secret=" + SECRET, "wechat.miniapp.apps.b.app-id=" + SHOP,
					"wechat.miniapp.apps.b.app-secret=" + SECRET)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("wechat.miniapp.store=redis needs Spring Data Redis"));
	}

	private static int keptOf(CaffeineSessionKeyRepository keys, int users) {
		for (int i = 0; i < users; i++) {
			keys.save("o" + i, key(i));
		}
		int kept = 0;
		for (int i = 0; i < users; i++) {
			kept += keys.find("o" + i).isPresent() ? 1 : 0;
		}
		return kept;
	}

	private static SessionKey key(int seed) {
		byte[] bytes = new byte[16];
		bytes[0] = (byte) seed;
		bytes[1] = (byte) (seed >> 8);
		return SessionKey.ofBase64(java.util.Base64.getEncoder().encodeToString(bytes));
	}

}
