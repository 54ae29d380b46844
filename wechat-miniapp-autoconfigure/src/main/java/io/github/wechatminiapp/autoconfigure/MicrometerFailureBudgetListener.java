package io.github.wechatminiapp.autoconfigure;

import io.github.wechatminiapp.opendata.FailureBudgetListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Counts users whose decryption failure budget ran out in
 * {@code wechat.miniapp.open-data.failure-budget.exhausted}, tagged with the app id only:
 * an attack signal worth an alert.
 */
final class MicrometerFailureBudgetListener implements FailureBudgetListener {

	static final String METER_NAME = "wechat.miniapp.open-data.failure-budget.exhausted";

	private final ObjectProvider<MeterRegistry> meterRegistry;

	MicrometerFailureBudgetListener(ObjectProvider<MeterRegistry> meterRegistry) {
		this.meterRegistry = meterRegistry;
	}

	@Override
	public void exhausted(String appId) {
		this.meterRegistry.ifAvailable((registry) -> Counter.builder(METER_NAME)
			.description("Users whose open data was rejected too often (failure budget exhausted, keys dropped): "
					+ "a padding-oracle attack looks like this")
			.tag("app", appId)
			.register(registry)
			.increment());
	}

}
