package io.github.wechatminiapp.autoconfigure;

import io.github.wechatminiapp.phone.OpenDataRejectionListener;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Metrics of the WeChat Mini Program starter, when Micrometer is on the classpath.
 */
@AutoConfiguration(before = WeChatMiniAppAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnProperty(prefix = "wechat.miniapp", name = "enabled", havingValue = "true", matchIfMissing = true)
public final class WeChatMiniAppObservabilityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OpenDataRejectionListener openDataRejectionMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
		// Looked up on each rejection: the registry may be defined after this starter's beans.
		return new MicrometerOpenDataRejectionListener(meterRegistry);
	}

}
