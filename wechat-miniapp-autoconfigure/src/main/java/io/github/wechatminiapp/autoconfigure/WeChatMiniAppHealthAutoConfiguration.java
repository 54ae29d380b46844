package io.github.wechatminiapp.autoconfigure;

import io.github.wechatminiapp.apps.MiniApps;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The access token health of every app, as one contributor named {@code wechatMiniApp} with an entry per app id
 * ({@code management.health.wechatminiapp.enabled=false} turns it off). Not part of the liveness or readiness
 * groups unless an application adds it: WeChat is an external system, and Spring Boot advises against probes that
 * depend on one, since an outage would take every instance out of rotation together.
 */
@AutoConfiguration(after = WeChatMiniAppAutoConfiguration.class)
@ConditionalOnClass({ HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(MiniApps.class)
@ConditionalOnEnabledHealthIndicator("wechatminiapp")
public final class WeChatMiniAppHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "wechatMiniAppHealthContributor")
	WeChatMiniAppsHealthContributor wechatMiniAppHealthContributor(MiniApps apps) {
		return new WeChatMiniAppsHealthContributor(apps);
	}

}
