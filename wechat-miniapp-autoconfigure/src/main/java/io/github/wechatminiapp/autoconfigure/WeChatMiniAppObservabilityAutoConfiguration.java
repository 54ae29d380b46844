package io.github.wechatminiapp.autoconfigure;

import io.github.wechatminiapp.client.ApiSecurityRejectionListener;
import io.github.wechatminiapp.opendata.FailureBudgetListener;
import io.github.wechatminiapp.opendata.OpenDataRejectionListener;
import io.github.wechatminiapp.token.AccessTokenFetchListener;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics and actuator hygiene of the WeChat Mini Program starter, each present only when
 * its library is. WeChat API calls are observed by the client itself through the
 * context's {@code ObservationRegistry}.
 */
@AutoConfiguration(after = WeChatMiniAppAutoConfiguration.class)
@ConditionalOnProperty(prefix = "wechat.miniapp", name = "enabled", havingValue = "true", matchIfMissing = true)
public final class WeChatMiniAppObservabilityAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		OpenDataRejectionListener openDataRejectionMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
			// Looked up on each rejection: the registry may be defined after this
			// starter's beans.
			return new MicrometerOpenDataRejectionListener(meterRegistry);
		}

		@Bean
		@ConditionalOnMissingBean
		AccessTokenFetchListener accessTokenFetchFailureMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
			return new MicrometerAccessTokenFetchListener(meterRegistry);
		}

		// By name: every FailureBudgetListener is told, so an application's own (or the
		// security auto-configuration's) must not switch the metrics off.
		@Bean
		@ConditionalOnMissingBean(name = "failureBudgetExhaustedMetrics")
		FailureBudgetListener failureBudgetExhaustedMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
			return new MicrometerFailureBudgetListener(meterRegistry);
		}

		@Bean
		@ConditionalOnMissingBean
		ApiSecurityRejectionListener apiSecurityRejectionMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
			return new MicrometerApiSecurityRejectionListener(meterRegistry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SanitizingFunction.class)
	static class SanitizingConfiguration {

		/**
		 * Replaced by a bean of the same name only: Spring Boot applies every
		 * {@link SanitizingFunction}, so the application's own leave this one in place.
		 * @return the function masking the starter's secrets
		 */
		@Bean
		@ConditionalOnMissingBean(name = "wechatMiniAppSecretsSanitizingFunction")
		SanitizingFunction wechatMiniAppSecretsSanitizingFunction() {
			// Masked even where an application shows configuration values in
			// /actuator/configprops or /env: the properties in every spelling
			// (wechat.miniapp.apps.<name>.app-secret included), their environment
			// variables (WECHAT_MINIAPP_APP_SECRET, WECHAT_MINIAPP_REDIS_ENCRYPTION_KEY,
			// the deprecated WECHAT_MINIAPP_SESSION_REDIS_ENCRYPTION_KEY) and the
			// variables the README suggests (WECHAT_APP_SECRET,
			// WECHAT_SESSION_ENCRYPTION_KEY).
			return SanitizingFunction.sanitizeValue()
				.ifKeyMatchesIgnoringCase(String::endsWith, "app-secret", "appsecret", "app_secret", "encryption-key",
						"encryptionkey", "encryption_key", "symmetric-key", "symmetrickey", "symmetric_key");
		}

	}

}
