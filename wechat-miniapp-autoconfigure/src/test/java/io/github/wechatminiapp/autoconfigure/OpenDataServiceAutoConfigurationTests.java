package io.github.wechatminiapp.autoconfigure;

import java.time.Duration;
import java.time.Instant;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.opendata.OpenDataService;
import io.github.wechatminiapp.opendata.Refusal;
import io.github.wechatminiapp.opendata.WeRunData;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.token.AccessTokenProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link OpenDataService} bean: present by default, replaced by the application's,
 * absent when the starter is off, and configured by the properties it shares with the
 * phone number.
 */
class OpenDataServiceAutoConfigurationTests {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(RestClientAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
		.withPropertyValues(sandbox.springPropertyValues());

	@Test
	void presentByDefaultAndDecrypting() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(OpenDataService.class);
			WeChatSandboxUser user = loggedIn(context);
			EncryptedData data = sandbox.encryptWeRunData(user);
			assertThat(context.getBean(OpenDataService.class)
				.decrypt(user.openid(), data.encryptedData(), data.iv(), WeRunData.class)
				.stepInfoList()).hasSize(31);
		});
	}

	@Test
	void theApplicationsBeanWins() {
		this.runner.withUserConfiguration(OwnOpenDataService.class).run((context) -> {
			assertThat(context).hasSingleBean(OpenDataService.class);
			assertThat(context.getBean(OpenDataService.class)).isSameAs(OwnOpenDataService.INSTANCE);
		});
	}

	@Test
	void absentWhenTheStarterIsDisabled() {
		this.runner.withPropertyValues("wechat.miniapp.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OpenDataService.class));
	}

	@Test
	void theWatermarkMaxAgeApplies() {
		this.runner.withPropertyValues("wechat.miniapp.watermark.max-age=30s").run((context) -> {
			WeChatSandboxUser user = loggedIn(context);
			EncryptedData minuteOld = sandbox.encryptWeRunData(user, sandbox.appId(),
					Instant.now().minus(Duration.ofMinutes(1)));
			assertThat(refusal(context, user, minuteOld)).isEqualTo(Reason.WATERMARK_EXPIRED);
		});
		this.runner.withPropertyValues("wechat.miniapp.watermark.max-age=0").run((context) -> {
			WeChatSandboxUser user = loggedIn(context);
			EncryptedData yearOld = sandbox.encryptWeRunData(user, sandbox.appId(),
					Instant.now().minus(Duration.ofDays(365)));
			assertThat(context.getBean(OpenDataService.class)
				.decrypt(user.openid(), yearOld.encryptedData(), yearOld.iv(), WeRunData.class)
				.stepInfoList()).hasSize(31);
		});
	}

	@Test
	void theFailureBudgetApplies() {
		this.runner.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=1").run((context) -> {
			WeChatSandboxUser user = loggedIn(context);
			EncryptedData otherApp = sandbox.encryptWeRunData(user, "wx00000000000000ff", Instant.now());
			assertThat(refusal(context, user, otherApp))
				.isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
			assertThat(context.getBean(SessionKeyRepository.class).find(user.openid())).isEmpty();
		});
	}

	@Test
	void severalJsonMappersFallBackToADefaultOne() {
		this.runner.withUserConfiguration(TwoJsonMappers.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(OpenDataService.class);
			WeChatSandboxUser user = loggedIn(context);
			EncryptedData data = sandbox.encryptWeRunData(user);
			assertThat(context.getBean(OpenDataService.class)
				.decrypt(user.openid(), data.encryptedData(), data.iv(), WeRunData.class)
				.stepInfoList()).hasSize(31);
		});
	}

	private static WeChatSandboxUser loggedIn(AssertableApplicationContext context) {
		WeChatSandboxUser user = sandbox.createUser();
		context.getBean(io.github.wechatminiapp.phone.PhoneNumberService.class).login(sandbox.loginCode(user));
		return user;
	}

	private static Enum<?> refusal(AssertableApplicationContext context, WeChatSandboxUser user, EncryptedData data) {
		return Refusal
			.of(() -> context.getBean(OpenDataService.class)
				.decrypt(user.openid(), data.encryptedData(), data.iv(), WeRunData.class))
			.reason();
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnOpenDataService {

		static OpenDataService INSTANCE;

		@Bean
		OpenDataService ownOpenDataService(WeChatMiniAppClient client, SessionKeyRepository sessionKeys,
				AccessTokenProvider accessTokens) {
			INSTANCE = new OpenDataService(client.appId(), sessionKeys);
			return INSTANCE;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoJsonMappers {

		@Bean
		JsonMapper firstJsonMapper() {
			return JsonMapper.builder().build();
		}

		@Bean
		JsonMapper secondJsonMapper() {
			return JsonMapper.builder().build();
		}

	}

}
