package io.github.wechatminiapp.apps;

import java.util.List;
import java.util.Optional;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.autoconfigure.WeChatMiniAppAutoConfiguration;
import io.github.wechatminiapp.autoconfigure.WeChatMiniAppRedisAutoConfiguration;
import io.github.wechatminiapp.phone.MiniAppLogin;
import io.github.wechatminiapp.session.RedisSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKeyNotFoundException;
import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.testsupport.redis.EmbeddedRedis;
import io.github.wechatminiapp.token.CachingAccessTokenProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Several apps on one Redis: every key carries its app id, so one app's session keys and
 * token are never read for another, for apps from properties and from a repository alike.
 */
class MiniAppsRedisIT {

	private static final String SHOP = "wx1111111111111111";

	private static final String SHOP_SECRET = "11111111111111111111111111111111";

	private static final EmbeddedRedis redis = EmbeddedRedis.start();

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension(
			WeChatSandbox.builder().app(SHOP, SHOP_SECRET));

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RestClientAutoConfiguration.class,
				WeChatMiniAppRedisAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
		.withPropertyValues(redis.springProperties())
		.withPropertyValues(sandbox.springPropertyValues())
		.withPropertyValues("wechat.miniapp.store=redis");

	@AfterAll
	static void stop() {
		redis.close();
	}

	@Test
	void appsFromPropertiesKeepTheirKeysAndTokensUnderTheirAppId() {
		this.runner
			.withPropertyValues("wechat.miniapp.apps.shop.app-id=" + SHOP,
					"wechat.miniapp.apps.shop.app-secret=" + SHOP_SECRET)
			.run((context) -> assertIsolated(context.getBean(MiniApps.class),
					context.getBean(StringRedisTemplate.class)));
	}

	@Test
	void appsFromARepositoryToo() {
		MiniAppCredentialsRepository repository = (appId) -> SHOP.equals(appId)
				? Optional.of(new MiniAppCredentials(SHOP, SHOP_SECRET)) : Optional.empty();
		// Beside the app of the properties: the two composed.
		MiniAppCredentialsRepository both = new CompositeMiniAppCredentialsRepository(
				new InMemoryMiniAppCredentialsRepository(
						List.of(new MiniAppCredentials(sandbox.appId(), sandbox.appSecret()))),
				repository);
		this.runner.withBean(MiniAppCredentialsRepository.class, () -> both)
			.run((context) -> assertIsolated(context.getBean(MiniApps.class),
					context.getBean(StringRedisTemplate.class)));
	}

	private void assertIsolated(MiniApps apps, StringRedisTemplate template) {
		String main = sandbox.appId();
		assertThat(apps.app(SHOP).sessionKeys()).isInstanceOf(RedisSessionKeyRepository.class);
		WeChatSandboxUser shopper = sandbox.createUser(SHOP);
		MiniAppLogin login = apps.phoneNumbers(SHOP).login(sandbox.loginCode(shopper));
		assertThat(template.hasKey("wechat:miniapp:" + SHOP + ":session-key:{" + login.openid() + "}")).isTrue();
		assertThat(template.keys("wechat:miniapp:" + main + ":session-key:{" + login.openid() + "}*")).isEmpty();
		EncryptedData data = sandbox.encryptPhoneNumber(shopper);
		assertThatExceptionOfType(SessionKeyNotFoundException.class)
			.isThrownBy(
					() -> apps.phoneNumbers(main).decryptPhoneNumber(login.openid(), data.encryptedData(), data.iv()))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(LoginRequiredException.Reason.NO_SESSION_KEY));
		assertThat(apps.phoneNumbers(SHOP)
			.decryptPhoneNumber(login.openid(), data.encryptedData(), data.iv())
			.purePhoneNumber()).isEqualTo(shopper.purePhoneNumber());
		String shopToken = apps.app(SHOP).accessTokens().getAccessToken();
		String mainToken = apps.app(main).accessTokens().getAccessToken();
		assertThat(shopToken).isNotEqualTo(mainToken);
		assertThat(template.opsForValue().get("wechat:miniapp:{" + SHOP + "}:access-token"))
			.startsWith(shopToken + "|");
		assertThat(template.opsForValue().get("wechat:miniapp:{" + main + "}:access-token"))
			.startsWith(mainToken + "|");
		assertThat(((CachingAccessTokenProvider) apps.app(SHOP).accessTokens()).cachedToken())
			.hasValueSatisfying((token) -> assertThat(token.value()).isEqualTo(shopToken));
	}

}
