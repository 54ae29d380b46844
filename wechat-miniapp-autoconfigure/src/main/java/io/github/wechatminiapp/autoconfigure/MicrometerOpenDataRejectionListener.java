package io.github.wechatminiapp.autoconfigure;

import java.util.Locale;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.opendata.OpenDataRejectionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Counts rejected open data in {@code wechat.miniapp.open-data.rejected}, tagged with the
 * reason (what the data showed, or why the user must log in again, such as
 * {@code failure_budget_exhausted} for every refusal past the budget) and the app id
 * (empty for a listener not bound to an app), never the user.
 */
final class MicrometerOpenDataRejectionListener implements OpenDataRejectionListener {

	static final String METER_NAME = "wechat.miniapp.open-data.rejected";

	private final ObjectProvider<MeterRegistry> meterRegistry;

	private final String appId;

	MicrometerOpenDataRejectionListener(ObjectProvider<MeterRegistry> meterRegistry) {
		this(meterRegistry, "");
	}

	private MicrometerOpenDataRejectionListener(ObjectProvider<MeterRegistry> meterRegistry, String appId) {
		this.meterRegistry = meterRegistry;
		this.appId = appId;
	}

	@Override
	public OpenDataRejectionListener forApp(String appId) {
		return new MicrometerOpenDataRejectionListener(this.meterRegistry, appId);
	}

	@Override
	public void rejected(Reason reason) {
		count(reason.name());
	}

	@Override
	public void loginRequired(LoginRequiredException.Reason reason) {
		count(reason.name());
	}

	private void count(String reason) {
		this.meterRegistry.ifAvailable((registry) -> Counter.builder(METER_NAME)
			.description("Open data (encryptedData) rejected by the WeChat Mini Program starter, by reason")
			.tag("reason", reason.toLowerCase(Locale.ROOT))
			.tag("app", this.appId)
			.register(registry)
			.increment());
	}

}
