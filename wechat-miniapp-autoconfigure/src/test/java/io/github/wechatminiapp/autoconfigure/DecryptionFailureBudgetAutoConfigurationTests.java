package io.github.wechatminiapp.autoconfigure;

import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.opendata.FailureBudgetListener;
import io.github.wechatminiapp.opendata.Refusal;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wechat.miniapp.session.decryption-failure-budget}, and the metric of exhausted
 * budgets.
 */
class DecryptionFailureBudgetAutoConfigurationTests {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class,
				WeChatMiniAppAutoConfiguration.class, WeChatMiniAppObservabilityAutoConfiguration.class))
		.withPropertyValues(sandbox.springPropertyValues());

	@Test
	void theDefaultBudgetIsFiveRejections() {
		this.runner.run((context) -> {
			assertThat(context.getBean(WeChatMiniAppProperties.class).getSession().getDecryptionFailureBudget())
				.isEqualTo(5);
			WeChatSandboxUser user = loggedIn(context);
			for (int i = 0; i < 4; i++) {
				assertThat(rejectTampered(context, user)).isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
			}
			assertThat(rejectTampered(context, user)).isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		});
	}

	@Test
	void theBudgetIsConfigurable() {
		this.runner.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=2").run((context) -> {
			WeChatSandboxUser user = loggedIn(context);
			assertThat(rejectTampered(context, user)).isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
			assertThat(rejectTampered(context, user)).isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		});
	}

	@Test
	void aBudgetBelowOneFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=0")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("wechat.miniapp.session.decryption-failure-budget"));
		this.runner.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=1")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void reLoginsThatWeChatAnswersWithTheSameKeyBuyNoDecryption() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=2")
			.run((context) -> {
				WeChatSandboxUser user = loggedIn(context);
				rejectTampered(context, user);
				assertThat(rejectTampered(context, user))
					.isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
				PhoneNumberService service = context.getBean(PhoneNumberService.class);
				for (int round = 0; round < 3; round++) {
					// wx.login again, and WeChat hands back the same session key.
					service.login(sandbox.loginCode(user));
					EncryptedData valid = sandbox.encryptPhoneNumber(user);
					assertThat(Refusal
						.of(() -> service.decryptPhoneNumber(user.openid(), valid.encryptedData(), valid.iv()))
						.reason()).isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
					assertThat(rejectTampered(context, user))
						.isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
				}
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				// Every refusal past the budget is counted; the budget ran out once.
				assertThat(meters.get("wechat.miniapp.open-data.rejected")
					.tag("reason", "failure_budget_exhausted")
					.counter()
					.count()).isEqualTo(7);
				assertThat(meters.get(MicrometerFailureBudgetListener.METER_NAME).counter().count()).isEqualTo(1);
				// A new key, a new budget.
				sandbox.rotateSessionKey(user);
				service.login(sandbox.loginCode(user));
				EncryptedData fresh = sandbox.encryptPhoneNumber(user);
				assertThat(
						service.decryptPhoneNumber(user.openid(), fresh.encryptedData(), fresh.iv()).purePhoneNumber())
					.isEqualTo(user.purePhoneNumber());
			});
	}

	@Test
	void exhaustedBudgetsAreCountedByAppAndRejectionsByReason() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=2")
			.run((context) -> {
				assertThat(context).hasSingleBean(FailureBudgetListener.class);
				WeChatSandboxUser user = loggedIn(context);
				rejectTampered(context, user);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.find(MicrometerFailureBudgetListener.METER_NAME).counter()).isNull();
				rejectTampered(context, user);
				assertThat(meters.get(MicrometerFailureBudgetListener.METER_NAME)
					.tag("app", sandbox.appId())
					.counter()
					.count()).isEqualTo(1);
				assertThat(meters.get(MicrometerFailureBudgetListener.METER_NAME).meter().getId().getTags()).hasSize(1);
				assertThat(meters.get("wechat.miniapp.open-data.rejected")
					.tag("reason", "failure_budget_exhausted")
					.counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void withoutAMeterRegistryTheListenerDoesNothing() {
		this.runner.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=1").run((context) -> {
			assertThat(context).hasSingleBean(FailureBudgetListener.class);
			assertThat(rejectTampered(context, loggedIn(context)))
				.isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		});
	}

	@Test
	void anApplicationsOwnListenerIsToldBesideTheMetrics() {
		List<String> exhausted = new CopyOnWriteArrayList<>();
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean("auditFailureBudgets", FailureBudgetListener.class, () -> exhausted::add)
			.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=1")
			.run((context) -> {
				assertThat(context.getBeansOfType(FailureBudgetListener.class)).containsOnlyKeys("auditFailureBudgets",
						"failureBudgetExhaustedMetrics");
				rejectTampered(context, loggedIn(context));
				assertThat(exhausted).containsExactly(sandbox.appId());
				assertThat(context.getBean(MeterRegistry.class)
					.get(MicrometerFailureBudgetListener.METER_NAME)
					.counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void aListenerOfTheMetricsNameReplacesThem() {
		List<String> exhausted = new CopyOnWriteArrayList<>();
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean("failureBudgetExhaustedMetrics", FailureBudgetListener.class, () -> exhausted::add)
			.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=1")
			.run((context) -> {
				assertThat(context).hasSingleBean(FailureBudgetListener.class);
				rejectTampered(context, loggedIn(context));
				assertThat(exhausted).containsExactly(sandbox.appId());
				assertThat(
						context.getBean(MeterRegistry.class).find(MicrometerFailureBudgetListener.METER_NAME).counter())
					.isNull();
			});
	}

	@Test
	void withoutMicrometerCoreThereIsNoMetricsListener() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=1")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(FailureBudgetListener.class);
				assertThat(rejectTampered(context, loggedIn(context)))
					.isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
			});
	}

	private static WeChatSandboxUser loggedIn(ApplicationContext context) {
		WeChatSandboxUser user = sandbox.createUser();
		context.getBean(PhoneNumberService.class).login(sandbox.loginCode(user));
		return user;
	}

	/**
	 * The user's own payload with the iv's last byte changed: {"phoneNumber":" becomes
	 * {"phoneNumber":#, not JSON.
	 */
	private static Enum<?> rejectTampered(ApplicationContext context, WeChatSandboxUser user) {
		EncryptedData data = sandbox.encryptPhoneNumber(user);
		byte[] iv = Base64.getDecoder().decode(data.iv());
		iv[15] ^= 0x01;
		return Refusal
			.of(() -> context.getBean(PhoneNumberService.class)
				.decryptPhoneNumber(user.openid(), data.encryptedData(), Base64.getEncoder().encodeToString(iv)))
			.reason();
	}

}
