package io.github.wechatminiapp.autoconfigure;

import java.time.Duration;
import java.util.Optional;

import io.github.wechatminiapp.apps.MiniAppCredentials;
import io.github.wechatminiapp.apps.MiniAppCredentialsRepository;
import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.apps.UnknownMiniAppException;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.token.AccessTokenProvider;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every shape of the configuration: one app, one app under apps.*, several, with and without a repository.
 */
class MiniAppsAutoConfigurationTests {

	private static final String APP_ID = "wx0123456789abcdef";

	private static final String SHOP = "wx1111111111111111";

	private static final String STAFF = "wx2222222222222222";

	private static final String SECRET = "0123456789abcdef0123456789abcdef";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class,
				WeChatMiniAppAutoConfiguration.class));

	@Test
	void theSingleAppIsTheDefaultAppOfMiniApps() {
		this.runner.withPropertyValues("wechat.miniapp.app-id=" + APP_ID, "wechat.miniapp.app-secret=" + SECRET)
			.run((context) -> {
				MiniApps apps = context.getBean(MiniApps.class);
				assertThat(apps.appIds()).containsExactly(APP_ID);
				assertThat(apps.phoneNumbers(APP_ID)).isSameAs(context.getBean(PhoneNumberService.class));
				assertThat(apps.app(APP_ID).accessTokens()).isSameAs(context.getBean(AccessTokenProvider.class));
				assertThat(apps.app(APP_ID).sessionKeys()).isSameAs(context.getBean(SessionKeyRepository.class));
				assertThatExceptionOfType(UnknownMiniAppException.class).isThrownBy(() -> apps.phoneNumbers(SHOP));
			});
	}

	@Test
	void oneAppUnderAppsIsTheDefaultWithoutTheSingleAppProperties() {
		this.runner.withPropertyValues("wechat.miniapp.apps.shop.app-id=" + SHOP,
				"wechat.miniapp.apps.shop.app-secret=" + SECRET)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(PhoneNumberService.class);
				assertThat(context.getBean(WeChatMiniAppClient.class).appId()).isEqualTo(SHOP);
				assertThat(context.getBean(MiniApps.class).phoneNumbers(SHOP))
					.isSameAs(context.getBean(PhoneNumberService.class));
			});
	}

	@Test
	void severalAppsWithoutADefaultHaveNoSingleAppBeans() {
		this.runner.withPropertyValues("wechat.miniapp.apps.shop.app-id=" + SHOP,
				"wechat.miniapp.apps.shop.app-secret=" + SECRET, "wechat.miniapp.apps.staff.app-id=" + STAFF,
				"wechat.miniapp.apps.staff.app-secret=" + SECRET)
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(PhoneNumberService.class)
					.doesNotHaveBean(WeChatMiniAppClient.class)
					.doesNotHaveBean(SessionKeyRepository.class)
					.doesNotHaveBean(AccessTokenProvider.class);
				MiniApps apps = context.getBean(MiniApps.class);
				assertThat(apps.appIds()).containsExactly(SHOP, STAFF);
				assertThat(apps.phoneNumbers(SHOP)).isNotSameAs(apps.phoneNumbers(STAFF));
				assertThat(apps.app(SHOP).sessionKeys()).isNotSameAs(apps.app(STAFF).sessionKeys());
				assertThat(apps.app(SHOP).accessTokens()).isNotSameAs(apps.app(STAFF).accessTokens());
			});
	}

	@Test
	void theSingleAppStaysTheDefaultBesideOtherApps() {
		this.runner
			.withPropertyValues("wechat.miniapp.app-id=" + APP_ID, "wechat.miniapp.app-secret=" + SECRET,
					"wechat.miniapp.apps.shop.app-id=" + SHOP, "wechat.miniapp.apps.shop.app-secret=" + SECRET)
			.run((context) -> {
				assertThat(context.getBean(WeChatMiniAppClient.class).appId()).isEqualTo(APP_ID);
				MiniApps apps = context.getBean(MiniApps.class);
				assertThat(apps.appIds()).containsExactly(APP_ID, SHOP);
				assertThat(apps.phoneNumbers(APP_ID)).isSameAs(context.getBean(PhoneNumberService.class));
				assertThat(apps.phoneNumbers(SHOP)).isNotSameAs(context.getBean(PhoneNumberService.class));
			});
	}

	@Test
	void aRepositoryAloneIsEnough() {
		this.runner.withBean(MiniAppCredentialsRepository.class,
				() -> (appId) -> SHOP.equals(appId) ? Optional.of(new MiniAppCredentials(appId, SECRET))
						: Optional.empty())
			.withPropertyValues("wechat.miniapp.runtime-apps.maximum-size=3",
					"wechat.miniapp.runtime-apps.unknown-time-to-live=1s")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(PhoneNumberService.class);
				WeChatMiniAppProperties.RuntimeApps runtime = context.getBean(WeChatMiniAppProperties.class)
					.getRuntimeApps();
				assertThat(runtime.getMaximumSize()).isEqualTo(3);
				assertThat(runtime.getUnknownTimeToLive()).isEqualTo(Duration.ofSeconds(1));
				MiniApps apps = context.getBean(MiniApps.class);
				assertThat(apps.appIds()).isEmpty();
				assertThat(apps.app(SHOP).appId()).isEqualTo(SHOP);
				assertThat(apps.appIds()).containsExactly(SHOP);
				assertThatExceptionOfType(UnknownMiniAppException.class).isThrownBy(() -> apps.app(STAFF));
			});
	}

	@Test
	void runtimeAppsHaveDefaults() {
		WeChatMiniAppProperties.RuntimeApps runtime = new WeChatMiniAppProperties().getRuntimeApps();
		assertThat(runtime.getMaximumSize()).isEqualTo(10_000);
		assertThat(runtime.getUnknownTimeToLive()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void noAppAtAllFailsStartupNamingTheProperty() {
		this.runner.run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("wechat.miniapp.app-id")
				.hasMessageContaining("MiniAppCredentialsRepository");
		});
	}

	@Test
	void noAppAtAllFailsNamingThePropertyEvenWhereABeanOfTheApplicationNeedsThePhoneNumberServiceFirst() {
		this.runner.withUserConfiguration(NeedsPhoneNumbers.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("wechat.miniapp.app-id is required");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class NeedsPhoneNumbers {

		@Bean
		String needsPhoneNumbers(PhoneNumberService phoneNumbers) {
			return "controller";
		}

	}

	@Test
	void anAppWithoutItsSecretFailsStartupNamingIt() {
		this.runner.withPropertyValues("wechat.miniapp.apps.shop.app-id=" + SHOP)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("wechat.miniapp.apps.shop.app-secret"));
		this.runner.withPropertyValues("wechat.miniapp.apps.shop.app-secret=" + SECRET)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("wechat.miniapp.apps.shop.app-id"));
	}

	@Test
	void aMalformedAppFailsStartupWithoutShowingItsSecret() {
		String malformed = "not-a-secret-but-secret";
		this.runner
			.withPropertyValues("wechat.miniapp.apps.shop.app-id=" + SHOP,
					"wechat.miniapp.apps.shop.app-secret=" + malformed)
			.run((context) -> {
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("wechat.miniapp.apps.shop.app-secret");
				for (Throwable failure = context.getStartupFailure(); failure != null; failure = failure.getCause()) {
					assertThat(failure.getMessage()).doesNotContain(malformed);
				}
			});
		this.runner
			.withPropertyValues("wechat.miniapp.apps.shop.app-id=shop", "wechat.miniapp.apps.shop.app-secret=" + SECRET)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("wechat.miniapp.apps.shop.app-id"));
	}

	@Test
	void anAppIdConfiguredTwiceFailsStartup() {
		this.runner
			.withPropertyValues("wechat.miniapp.app-id=" + SHOP, "wechat.miniapp.app-secret=" + SECRET,
					"wechat.miniapp.apps.shop.app-id=" + SHOP, "wechat.miniapp.apps.shop.app-secret=" + SECRET)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("wechat.miniapp.apps.shop.app-id")
				.hasMessageContaining("twice"));
		this.runner
			.withPropertyValues("wechat.miniapp.apps.a.app-id=" + SHOP, "wechat.miniapp.apps.a.app-secret=" + SECRET,
					"wechat.miniapp.apps.b.app-id=" + SHOP, "wechat.miniapp.apps.b.app-secret=" + SECRET)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("twice"));
	}

	@Test
	void eachAppMayOverrideItsWatermarkAndSessionSettings() {
		this.runner
			.withPropertyValues("wechat.miniapp.apps.shop.app-id=" + SHOP, "wechat.miniapp.apps.shop.app-secret=" + SECRET,
					"wechat.miniapp.apps.shop.watermark.max-age=0", "wechat.miniapp.apps.shop.session.time-to-live=1h",
					"wechat.miniapp.apps.shop.session.maximum-size=7",
					"wechat.miniapp.apps.shop.session.previous-key-time-to-live=10s")
			.run((context) -> {
				WeChatMiniAppProperties.App shop = context.getBean(WeChatMiniAppProperties.class).getApps().get("shop");
				assertThat(shop.getAppId()).isEqualTo(SHOP);
				assertThat(shop.getWatermark().getMaxAge()).isEqualTo(Duration.ZERO);
				assertThat(shop.getSession().getTimeToLive()).isEqualTo(Duration.ofHours(1));
				assertThat(shop.getSession().getMaximumSize()).isEqualTo(7);
				assertThat(shop.getSession().getPreviousKeyTimeToLive()).isEqualTo(Duration.ofSeconds(10));
				assertThat(shop.toString()).contains(SHOP).doesNotContain(SECRET);
			});
	}

	@Test
	void disabledNeedsNoApp() {
		this.runner.withPropertyValues("wechat.miniapp.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MiniApps.class));
	}

	@Test
	void userMiniAppsWins() {
		MiniApps own = new MiniApps(java.util.List.of());
		this.runner.withBean(MiniApps.class, () -> own)
			.run((context) -> assertThat(context.getBean(MiniApps.class)).isSameAs(own));
	}

}
