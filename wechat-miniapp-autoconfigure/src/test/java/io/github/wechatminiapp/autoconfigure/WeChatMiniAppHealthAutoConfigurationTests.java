package io.github.wechatminiapp.autoconfigure;

import java.util.List;

import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.token.AccessTokenProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class WeChatMiniAppHealthAutoConfigurationTests {

	private static final String SHOP = "wx00000000000000a1";

	private static final String SHOP_SECRET = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension(
			WeChatSandbox.builder().app(SHOP, SHOP_SECRET));

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WeChatMiniAppAutoConfiguration.class,
				WeChatMiniAppObservabilityAutoConfiguration.class, WeChatMiniAppHealthAutoConfiguration.class))
		.withPropertyValues(sandbox.springPropertyValues());

	@Test
	void aSingleAppContextRegistersOneWeChatHealthContributorKeyedByAppId() {
		this.runner.run((context) -> {
			assertThat(context.getBeansOfType(HealthContributor.class))
				.containsOnlyKeys("wechatMiniAppHealthContributor");
			CompositeHealthContributor contributor = context.getBean("wechatMiniAppHealthContributor",
					CompositeHealthContributor.class);
			assertThat(contributor.stream().map(HealthContributors.Entry::name)).containsExactly(sandbox.appId());
			HealthIndicator indicator = (HealthIndicator) contributor.getContributor(sandbox.appId());
			int requests = sandbox.totalRequestCount();
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UNKNOWN);
			// The single-app provider is the app's: one token, one entry.
			context.getBean(AccessTokenProvider.class).getAccessToken();
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			// A probe never calls WeChat.
			assertThat(sandbox.totalRequestCount()).isEqualTo(requests + 1);
			assertThat(contributor.getContributor("wx0000000000000000")).isNull();
		});
	}

	@Test
	void twoAppsAreTwoEntriesOfTheOneContributor() {
		this.runner
			.withPropertyValues("wechat.miniapp.apps.shop.app-id=" + SHOP,
					"wechat.miniapp.apps.shop.app-secret=" + SHOP_SECRET)
			.run((context) -> {
				assertThat(context.getBeansOfType(HealthContributor.class)).hasSize(1);
				context.getBean(MiniApps.class).app(SHOP).accessTokens().getAccessToken();
				CompositeHealthContributor contributor = context.getBean(CompositeHealthContributor.class);
				assertThat(contributor.stream().map(HealthContributors.Entry::name))
					.containsExactlyInAnyOrder(sandbox.appId(), SHOP);
				assertThat(((HealthIndicator) contributor.getContributor(SHOP)).health().getStatus())
					.isEqualTo(Status.UP);
				assertThat(((HealthIndicator) contributor.getContributor(sandbox.appId())).health().getStatus())
					.isEqualTo(Status.UNKNOWN);
			});
	}

	@Test
	void turnedOffByItsOwnPropertyOrTheDefaults() {
		for (String property : List.of("management.health.wechatminiapp.enabled=false",
				"management.health.defaults.enabled=false")) {
			this.runner.withPropertyValues(property)
				.run((context) -> assertThat(context).doesNotHaveBean("wechatMiniAppHealthContributor")
					.hasSingleBean(MiniApps.class));
		}
		this.runner
			.withPropertyValues("management.health.defaults.enabled=false",
					"management.health.wechatminiapp.enabled=true")
			.run((context) -> assertThat(context).hasBean("wechatMiniAppHealthContributor"));
	}

	@Test
	void absentWithoutSpringBootHealth() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("wechatMiniAppHealthContributor")
				.hasSingleBean(MiniApps.class));
	}

	@Test
	void absentWhenTheStarterIsOff() {
		this.runner.withPropertyValues("wechat.miniapp.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("wechatMiniAppHealthContributor"));
	}

	@Test
	void aContributorOfTheApplicationsOwnReplacesIt() {
		HealthIndicator own = () -> org.springframework.boot.health.contributor.Health.up().build();
		this.runner.withBean("wechatMiniAppHealthContributor", HealthIndicator.class, () -> own)
			.run((context) -> assertThat(context.getBean("wechatMiniAppHealthContributor")).isSameAs(own));
	}

}
