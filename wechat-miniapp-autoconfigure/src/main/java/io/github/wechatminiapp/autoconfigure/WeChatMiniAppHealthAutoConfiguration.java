package io.github.wechatminiapp.autoconfigure;

import io.github.wechatminiapp.apps.MiniApps;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The access token health of every app, as one contributor named {@code wechatMiniApp}
 * with an entry per app id ({@code management.health.wechatminiapp.enabled=false} turns
 * it off). Not part of the liveness or readiness groups unless an application adds it:
 * WeChat is an external system, and Spring Boot advises against probes that depend on
 * one, since an outage would take every instance out of rotation together.
 */
@AutoConfiguration(after = WeChatMiniAppAutoConfiguration.class)
@ConditionalOnClass({ HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(MiniApps.class)
public final class WeChatMiniAppHealthAutoConfiguration {

	/**
	 * Nested: the condition of {@code @ConditionalOnEnabledHealthIndicator} is resolved
	 * when the class holding it is registered, which must not happen where Spring Boot
	 * Health is absent.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnEnabledHealthIndicator("wechatminiapp")
	static class WeChatMiniAppHealthContributorConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "wechatMiniAppHealthContributor")
		WeChatMiniAppsHealthContributor wechatMiniAppHealthContributor(MiniApps apps) {
			return new WeChatMiniAppsHealthContributor(apps);
		}

	}

}
