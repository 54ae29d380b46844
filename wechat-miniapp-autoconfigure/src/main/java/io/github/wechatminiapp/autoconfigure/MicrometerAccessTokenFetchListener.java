package io.github.wechatminiapp.autoconfigure;

import io.github.wechatminiapp.token.AccessTokenFetchListener;
import io.github.wechatminiapp.token.AccessTokenStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Counts failed access token fetches in
 * {@code wechat.miniapp.access-token.fetch.failures}, tagged with the app id, WeChat's
 * errcode ({@code none} for a timeout or an I/O error) and whether WeChat refused this
 * server's configuration ({@code refusal}: {@code true} asks for an operator, so it is
 * worth an alert).
 */
final class MicrometerAccessTokenFetchListener implements AccessTokenFetchListener {

	static final String METER_NAME = "wechat.miniapp.access-token.fetch.failures";

	private final ObjectProvider<MeterRegistry> meterRegistry;

	MicrometerAccessTokenFetchListener(ObjectProvider<MeterRegistry> meterRegistry) {
		this.meterRegistry = meterRegistry;
	}

	@Override
	public void fetchFailed(String appId, AccessTokenStatus.Failure failure) {
		this.meterRegistry.ifAvailable((registry) -> Counter.builder(METER_NAME)
			.description("Failed fetches of the WeChat access token; refusal=true means WeChat refuses this "
					+ "server's app id, secret or IP")
			.tag("app", appId)
			.tag("errcode", (failure.errcode() != null) ? failure.errcode().toString() : "none")
			.tag("refusal", Boolean.toString(failure.refusal()))
			.register(registry)
			.increment());
	}

}
