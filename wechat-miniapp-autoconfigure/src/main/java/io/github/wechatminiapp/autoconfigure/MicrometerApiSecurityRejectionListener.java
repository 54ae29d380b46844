package io.github.wechatminiapp.autoconfigure;

import java.util.Locale;

import io.github.wechatminiapp.client.ApiSecurityRejectionListener;
import io.github.wechatminiapp.client.WeChatApi;
import io.github.wechatminiapp.client.WeChatApiSecurityException.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Counts answers refused by the API security check in
 * {@code wechat.miniapp.api-security.rejected}, tagged with the app id, the API and the
 * reason.
 */
final class MicrometerApiSecurityRejectionListener implements ApiSecurityRejectionListener {

	static final String METER_NAME = "wechat.miniapp.api-security.rejected";

	private final ObjectProvider<MeterRegistry> meterRegistry;

	MicrometerApiSecurityRejectionListener(ObjectProvider<MeterRegistry> meterRegistry) {
		this.meterRegistry = meterRegistry;
	}

	@Override
	public void rejected(String appId, WeChatApi api, Reason reason) {
		this.meterRegistry.ifAvailable((registry) -> Counter.builder(METER_NAME)
			.description("WeChat answers refused by the API security check, by reason")
			.tag("app", appId)
			.tag("api", api.apiName())
			.tag("reason", reason.name().toLowerCase(Locale.ROOT))
			.register(registry)
			.increment());
	}

}
