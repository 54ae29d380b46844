package io.github.wechatminiapp.autoconfigure;

import java.util.Map;

import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.opendata.OpenDataRejectionListener;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

class WeChatMiniAppObservabilityAutoConfigurationTests {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WeChatMiniAppAutoConfiguration.class,
				WeChatMiniAppObservabilityAutoConfiguration.class))
		.withPropertyValues(sandbox.springPropertyValues());

	@Test
	void eachApiCallIsObservedWithApiAndErrcodeOnly() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		this.runner.withBean(ObservationRegistry.class, () -> observations).run((context) -> {
			WeChatMiniAppClient client = context.getBean(WeChatMiniAppClient.class);
			String code = sandbox.loginCode(sandbox.createUser());
			client.code2Session(code);
			assertThatException().isThrownBy(() -> client.code2Session("unknown-code"));
			assertThat(meters.get(WeChatMiniAppClient.OBSERVATION_NAME)
				.tags("api", "jscode2session", "errcode", "0", "outcome", "success")
				.timer()
				.count()).isEqualTo(1);
			assertThat(meters.get(WeChatMiniAppClient.OBSERVATION_NAME)
				.tags("api", "jscode2session", "errcode", "40029", "outcome", "wechat_error")
				.timer()
				.count()).isEqualTo(1);
			assertThat(meters.getMeters())
				.filteredOn((meter) -> meter.getId().getName().equals(WeChatMiniAppClient.OBSERVATION_NAME))
				.isNotEmpty()
				.allSatisfy((meter) -> assertThat(meter.getId().getTags())
					.allSatisfy((tag) -> assertThat(tag.getKey()).isIn("api", "errcode", "outcome", "error")));
			// Spring's own HTTP client observation is on as well: its tags name URI
			// templates, never values.
			assertThat(meters.getMeters())
				.anySatisfy((meter) -> assertThat(meter.getId().getName()).isEqualTo("http.client.requests"));
			assertThat(meters.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getTags()).allSatisfy(
					(tag) -> assertThat(tag.getValue()).doesNotContain(sandbox.appSecret()).doesNotContain(code)));
		});
	}

	@Test
	void rejectionsAreCountedByReasonWhenMicrometerIsPresent() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(OpenDataRejectionListener.class);
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			assertThatException().isThrownBy(() -> service.decryptPhoneNumber("o-unknown", "AAAA", "AAAA"));
			assertThat(context.getBean(MeterRegistry.class)
				.get("wechat.miniapp.open-data.rejected")
				.tag("reason", "no_session_key")
				.counter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void withoutMicrometerCoreThereIsNoMetricsListener() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(OpenDataRejectionListener.class)
				.hasSingleBean(PhoneNumberService.class));
	}

	@Test
	void secretsAreSanitizedInActuatorOutput() {
		this.runner.run((context) -> {
			SanitizingFunction sanitizer = context.getBean(SanitizingFunction.class);
			MapPropertySource source = new MapPropertySource("test", Map.of());
			for (String key : new String[] { "wechat.miniapp.app-secret", "wechat.miniapp.appSecret",
					"wechat.miniapp.redis.encryption-key", "wechat.miniapp.redis.encryptionKey",
					"WECHAT_MINIAPP_REDIS_ENCRYPTION_KEY", "wechat.miniapp.session.redis.encryption-key",
					"wechat.miniapp.session.redis.encryptionKey", "WECHAT_MINIAPP_APP_SECRET",
					"WECHAT_MINIAPP_SESSION_REDIS_ENCRYPTION_KEY", "wechat_miniapp_app_secret", "WECHAT_APP_SECRET",
					"WECHAT_SESSION_ENCRYPTION_KEY", "wechat.miniapp.apps.shop.app-secret",
					"WECHAT_MINIAPP_APPS_SHOP_APP_SECRET", "wechat.miniapp.apps.shop.appSecret" }) {
				assertThat(sanitizer.applyUnlessFiltered(new SanitizableData(source, key, "s3cr3t")).getValue()).as(key)
					.isEqualTo(SanitizableData.SANITIZED_VALUE);
			}
			for (String key : new String[] { "wechat.miniapp.app-id", "WECHAT_MINIAPP_APP_ID", "WECHAT_APP_ID",
					"wechat.miniapp.api-base-url", "wechat.miniapp.apps.shop.app-id", "WECHAT_MINIAPP_APPS_SHOP_APP_ID",
					"wechat.miniapp.apps.shop.app-secret-hint" }) {
				assertThat(sanitizer.applyUnlessFiltered(new SanitizableData(source, key, "wx0123456789abcdef"))
					.getValue()).as(key).isEqualTo("wx0123456789abcdef");
			}
		});
	}

	@Test
	void aSanitizingFunctionOfTheSameNameReplacesTheStarters() {
		SanitizingFunction own = (data) -> data.withValue("own");
		this.runner.withBean("wechatMiniAppSecretsSanitizingFunction", SanitizingFunction.class, () -> own)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(SanitizingFunction.class);
				assertThat(context.getBean("wechatMiniAppSecretsSanitizingFunction")).isSameAs(own);
			});
	}

	@Test
	void anApplicationsOtherSanitizingFunctionsLeaveTheStartersInPlace() {
		SanitizingFunction own = (data) -> data;
		this.runner.withBean("ownSanitizingFunction", SanitizingFunction.class, () -> own)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasBean("ownSanitizingFunction")
				.hasBean("wechatMiniAppSecretsSanitizingFunction"));
	}

	@Test
	void withoutActuatorThereIsNoSanitizingFunction() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SanitizingFunction.class));
	}

}
