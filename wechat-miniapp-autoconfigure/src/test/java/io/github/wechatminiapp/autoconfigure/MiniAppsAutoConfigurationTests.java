package io.github.wechatminiapp.autoconfigure;

import java.time.Duration;
import java.util.Optional;

import io.github.wechatminiapp.apps.CompositeMiniAppCredentialsRepository;
import io.github.wechatminiapp.apps.InMemoryMiniAppCredentialsRepository;
import io.github.wechatminiapp.apps.MiniApp;
import io.github.wechatminiapp.apps.MiniAppCredentials;
import io.github.wechatminiapp.apps.MiniAppCredentialsRepository;
import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.apps.UnknownMiniAppException;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.opendata.OpenDataService;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.token.AccessTokenProvider;
import io.github.wechatminiapp.token.AccessTokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every shape of the configuration: one app, one app under apps.*, several, a repository
 * of the application's, both composed, and none, each with exactly the starter's beans it
 * should have.
 */
@ExtendWith(OutputCaptureExtension.class)
class MiniAppsAutoConfigurationTests {

	private static final String APP_ID = "wx0123456789abcdef";

	private static final String SHOP = "wx1111111111111111";

	private static final String STAFF = "wx2222222222222222";

	private static final String SECRET = "0123456789abcdef0123456789abcdef";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(RestClientAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class));

	@Test
	void aSingleAppContextHasTheSingleAppBeansWhichAreItsServicesInMiniApps() {
		this.runner.withPropertyValues("wechat.miniapp.app-id=" + APP_ID, "wechat.miniapp.app-secret=" + SECRET)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertStarterBeans(context, true);
				assertThat(context).getBean(MiniAppCredentialsRepository.class)
					.isInstanceOf(InMemoryMiniAppCredentialsRepository.class);
				MiniApps apps = context.getBean(MiniApps.class);
				assertThat(apps.appIds()).containsExactly(APP_ID);
				assertIsTheSingleApp(context, apps.app(APP_ID));
				assertThat(context.getBean(WeChatMiniAppClient.class).appId()).isEqualTo(APP_ID);
				assertThatExceptionOfType(UnknownMiniAppException.class).isThrownBy(() -> apps.phoneNumbers(SHOP));
			});
	}

	@Test
	void oneAppUnderAppsIsASingleAppContextToo() {
		this.runner
			.withPropertyValues("wechat.miniapp.apps.shop.app-id=" + SHOP,
					"wechat.miniapp.apps.shop.app-secret=" + SECRET)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertStarterBeans(context, true);
				assertThat(context.getBean(WeChatMiniAppClient.class).appId()).isEqualTo(SHOP);
				assertIsTheSingleApp(context, context.getBean(MiniApps.class).app(SHOP));
			});
	}

	@Test
	void aTwoAppContextHasMiniAppsAndNoSingleAppBeans() {
		this.runner
			.withPropertyValues("wechat.miniapp.apps.shop.app-id=" + SHOP,
					"wechat.miniapp.apps.shop.app-secret=" + SECRET, "wechat.miniapp.apps.staff.app-id=" + STAFF,
					"wechat.miniapp.apps.staff.app-secret=" + SECRET)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertStarterBeans(context, false);
				assertThat(context).getBean(MiniAppCredentialsRepository.class)
					.isInstanceOf(InMemoryMiniAppCredentialsRepository.class);
				MiniApps apps = context.getBean(MiniApps.class);
				assertThat(apps.appIds()).containsExactly(SHOP, STAFF);
				assertThat(apps.phoneNumbers(SHOP)).isNotSameAs(apps.phoneNumbers(STAFF));
				assertThat(apps.phoneNumbers(SHOP).appId()).isEqualTo(SHOP);
				assertThat(apps.openData(STAFF)).isNotSameAs(apps.openData(SHOP));
				assertThat(apps.app(SHOP).sessionKeys()).isNotSameAs(apps.app(STAFF).sessionKeys());
				assertThat(apps.app(SHOP).accessTokens()).isNotSameAs(apps.app(STAFF).accessTokens());
				assertThat(apps.app(SHOP).client().appId()).isEqualTo(SHOP);
				assertThat(apps.app(STAFF).client().appId()).isEqualTo(STAFF);
			});
	}

	@Test
	void theTopLevelAppBesideAnAppsEntryMakesTwoApps() {
		this.runner
			.withPropertyValues("wechat.miniapp.app-id=" + APP_ID, "wechat.miniapp.app-secret=" + SECRET,
					"wechat.miniapp.apps.shop.app-id=" + SHOP, "wechat.miniapp.apps.shop.app-secret=" + SECRET)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertStarterBeans(context, false);
				assertThat(context.getBean(MiniApps.class).appIds()).containsExactly(APP_ID, SHOP);
			});
	}

	@Test
	void aRuntimeRepositoryContextHasMiniAppsOverItAndNoSingleAppBeans() {
		this.runner
			.withBean(MiniAppCredentialsRepository.class,
					() -> (appId) -> SHOP.equals(appId) ? Optional.of(new MiniAppCredentials(appId, SECRET))
							: Optional.empty())
			.withPropertyValues("wechat.miniapp.runtime-apps.maximum-size=3",
					"wechat.miniapp.runtime-apps.unknown-time-to-live=1s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertStarterBeans(context, false);
				assertThat(context).doesNotHaveBean(InMemoryMiniAppCredentialsRepository.class);
				WeChatMiniAppProperties.RuntimeApps runtime = context.getBean(WeChatMiniAppProperties.class)
					.getRuntimeApps();
				assertThat(runtime.getMaximumSize()).isEqualTo(3);
				assertThat(runtime.getUnknownTimeToLive()).isEqualTo(Duration.ofSeconds(1));
				MiniApps apps = context.getBean(MiniApps.class);
				assertThat(apps.appIds()).isEmpty();
				assertThat(apps.app(SHOP).appId()).isEqualTo(SHOP);
				assertThat(apps.app(SHOP).client().appId()).isEqualTo(SHOP);
				assertThat(apps.appIds()).containsExactly(SHOP);
				assertThatExceptionOfType(UnknownMiniAppException.class).isThrownBy(() -> apps.app(STAFF));
			});
	}

	@Test
	void theReadmesCompositeRepositoryServesThePropertiesAppAndTheRuntimeApps() {
		this.runner.withPropertyValues("wechat.miniapp.app-id=" + APP_ID, "wechat.miniapp.app-secret=" + SECRET)
			.withUserConfiguration(StaticAndRuntimeApps.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertStarterBeans(context, true);
				assertThat(context).getBean(MiniAppCredentialsRepository.class)
					.isInstanceOf(CompositeMiniAppCredentialsRepository.class);
				MiniApps apps = context.getBean(MiniApps.class);
				assertThat(apps.appIds()).containsExactly(APP_ID);
				assertIsTheSingleApp(context, apps.app(APP_ID));
				assertThat(apps.phoneNumbers(SHOP).appId()).isEqualTo(SHOP);
				assertThat(apps.appIds()).containsExactly(APP_ID, SHOP);
				assertThatExceptionOfType(UnknownMiniAppException.class).isThrownBy(() -> apps.app(STAFF));
			});
	}

	@Test
	void aRepositoryThatDoesNotKnowThePropertiesAppFailsStartupSayingHowToCompose() {
		this.runner.withPropertyValues("wechat.miniapp.app-id=" + APP_ID, "wechat.miniapp.app-secret=" + SECRET)
			.withBean(MiniAppCredentialsRepository.class, () -> (appId) -> Optional.empty())
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining(APP_ID)
				.hasMessageContaining("CompositeMiniAppCredentialsRepository"));
	}

	@Test
	void theSingleAppBeansTheApplicationReplacesAreThoseOfMiniApps() {
		SessionKeyRepository own = new io.github.wechatminiapp.session.CaffeineSessionKeyRepository(
				Duration.ofMinutes(1), 10);
		this.runner.withPropertyValues("wechat.miniapp.app-id=" + APP_ID, "wechat.miniapp.app-secret=" + SECRET)
			.withBean(SessionKeyRepository.class, () -> own)
			.run((context) -> {
				assertThat(context.getBean(SessionKeyRepository.class)).isSameAs(own);
				assertThat(context.getBean(MiniApps.class).app(APP_ID).sessionKeys()).isSameAs(own);
				assertIsTheSingleApp(context, context.getBean(MiniApps.class).app(APP_ID));
			});
	}

	/**
	 * Exactly which of the starter's beans the context holds: one of each, or none of the
	 * single-app ones.
	 */
	private static void assertStarterBeans(AssertableApplicationContext context, boolean singleApp) {
		assertThat(context).hasSingleBean(MiniApps.class).hasSingleBean(MiniAppCredentialsRepository.class);
		for (Class<?> type : new Class<?>[] { WeChatMiniAppClient.class, SessionKeyRepository.class,
				AccessTokenStore.class, AccessTokenProvider.class, PhoneNumberService.class, OpenDataService.class }) {
			assertThat(context.getBeanNamesForType(type)).as(type.getSimpleName()).hasSize(singleApp ? 1 : 0);
		}
	}

	private static void assertIsTheSingleApp(AssertableApplicationContext context, MiniApp app) {
		MiniApps apps = context.getBean(MiniApps.class);
		assertThat(apps.phoneNumbers(app.appId())).isSameAs(context.getBean(PhoneNumberService.class));
		assertThat(apps.openData(app.appId())).isSameAs(context.getBean(OpenDataService.class));
		assertThat(app.phoneNumbers()).isSameAs(context.getBean(PhoneNumberService.class));
		assertThat(app.client()).isSameAs(context.getBean(WeChatMiniAppClient.class));
		assertThat(app.accessTokens()).isSameAs(context.getBean(AccessTokenProvider.class));
		assertThat(app.sessionKeys()).isSameAs(context.getBean(SessionKeyRepository.class));
	}

	/** As the README shows it. */
	@Configuration(proxyBeanMethods = false)
	static class StaticAndRuntimeApps {

		@Bean
		MiniAppCredentialsRepository miniAppCredentialsRepository(WeChatMiniAppProperties properties) {
			return new CompositeMiniAppCredentialsRepository(
					new InMemoryMiniAppCredentialsRepository(properties.credentials()), new TenantApps());
		}

	}

	/** Stands for the application's table of apps. */
	static final class TenantApps implements MiniAppCredentialsRepository {

		@Override
		public Optional<MiniAppCredentials> findByAppId(String appId) {
			return SHOP.equals(appId) ? Optional.of(new MiniAppCredentials(SHOP, SECRET)) : Optional.empty();
		}

	}

	@Test
	void runtimeAppsHaveDefaults() {
		WeChatMiniAppProperties.RuntimeApps runtime = new WeChatMiniAppProperties().getRuntimeApps();
		assertThat(runtime.getMaximumSize()).isEqualTo(10_000);
		assertThat(runtime.getUnknownTimeToLive()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void aNoAppContextFailsWithTheExceptionTheFailureAnalyzerExplains() {
		this.runner.run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(failure).rootCause().isInstanceOf(NoMiniAppConfiguredException.class);
			FailureAnalysis analysis = analyzer().analyze(failure);
			assertThat(analysis.getDescription()).contains("wechat.miniapp.app-id");
			assertThat(analysis.getAction()).contains("Set wechat.miniapp.app-id and wechat.miniapp.app-secret")
				.contains("MiniAppCredentialsRepository");
		});
	}

	@Test
	void aNoAppContextIsExplainedEvenWhereABeanOfTheApplicationNeedsThePhoneNumberServiceFirst() {
		this.runner.withUserConfiguration(NeedsPhoneNumbers.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().isInstanceOf(NoSuchBeanDefinitionException.class);
			FailureAnalysis analysis = analyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).isEqualTo(NoMiniAppConfiguredFailureAnalyzer.DESCRIPTION);
			assertThat(analysis.getAction()).isEqualTo(NoMiniAppConfiguredFailureAnalyzer.ACTION);
		});
	}

	@Test
	void theFailureAnalyzerLeavesOtherMissingBeansToSpringBoot() {
		NoSuchBeanDefinitionException missingService = new NoSuchBeanDefinitionException(PhoneNumberService.class);
		assertThat(analyzer().analyze(new IllegalStateException("wrapped", missingService))).isNotNull();
		// Several apps: the missing single-app bean is not for want of an app.
		assertThat(analyzer("wechat.miniapp.apps.shop.app-id=" + SHOP, "wechat.miniapp.apps.staff.app-id=" + STAFF)
			.analyze(missingService)).isNull();
		assertThat(analyzer("wechat.miniapp.app-id=" + APP_ID).analyze(missingService)).isNull();
		assertThat(analyzer("wechat.miniapp.app-secret=" + SECRET).analyze(missingService)).isNull();
		// Apps of the application's own repository.
		DefaultListableBeanFactory withRepository = new DefaultListableBeanFactory();
		withRepository.registerBeanDefinition("apps", new RootBeanDefinition(TenantApps.class));
		assertThat(
				new NoMiniAppConfiguredFailureAnalyzer(new MockEnvironment(), withRepository).analyze(missingService))
			.isNull();
		// The starter turned off.
		assertThat(analyzer("wechat.miniapp.enabled=false").analyze(missingService)).isNull();
		// Not a bean of the starter, not a failure of the starter.
		assertThat(analyzer().analyze(new NoSuchBeanDefinitionException(String.class))).isNull();
		assertThat(analyzer().analyze(new NoSuchBeanDefinitionException("byName"))).isNull();
		assertThat(analyzer().analyze(new IllegalStateException("other"))).isNull();
	}

	@Test
	void aNoAppApplicationReportsTheAnalysisAtStartup(CapturedOutput output) {
		SpringApplication application = new SpringApplication(NoAppApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(application::run);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains(NoMiniAppConfiguredFailureAnalyzer.DESCRIPTION)
			.contains(NoMiniAppConfiguredFailureAnalyzer.ACTION);
	}

	@Test
	void aNoAppApplicationWhoseOwnBeanNeedsThePhoneNumberServiceGetsTheSameReport(CapturedOutput output) {
		SpringApplication application = new SpringApplication(NoAppApplication.class, NeedsPhoneNumbers.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(application::run);
		assertThat(output).contains(NoMiniAppConfiguredFailureAnalyzer.DESCRIPTION)
			.contains(NoMiniAppConfiguredFailureAnalyzer.ACTION)
			.doesNotContain("required a bean of type");
		// First of all analyzers, Spring Boot's missing-bean one included.
		assertThat(analyzer().getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
	}

	@Test
	void theReadmesShowTheReportAsItIs() throws java.io.IOException {
		for (String readme : new String[] { "../README.md", "../README.zh-CN.md" }) {
			assertThat(java.nio.file.Files.readString(java.nio.file.Path.of(readme))).as(readme)
				.contains("  " + NoMiniAppConfiguredFailureAnalyzer.DESCRIPTION + "\n")
				.contains("  " + NoMiniAppConfiguredFailureAnalyzer.ACTION + "\n");
		}
	}

	private static NoMiniAppConfiguredFailureAnalyzer analyzer(String... properties) {
		MockEnvironment environment = new MockEnvironment();
		TestPropertyValues.of(properties).applyTo(environment);
		return new NoMiniAppConfiguredFailureAnalyzer(environment, new DefaultListableBeanFactory());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ RestClientAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class })
	static class NoAppApplication {

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
		this.runner.withPropertyValues("wechat.miniapp.apps.shop.app-id=" + SHOP,
				"wechat.miniapp.apps.shop.app-secret=" + SECRET, "wechat.miniapp.apps.shop.watermark.max-age=0",
				"wechat.miniapp.apps.shop.session.time-to-live=1h", "wechat.miniapp.apps.shop.session.maximum-size=7",
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
