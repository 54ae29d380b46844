package io.github.wechatminiapp.autoconfigure;

import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.RedisSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.token.AccessTokenStore;
import io.github.wechatminiapp.token.InMemoryAccessTokenStore;
import io.github.wechatminiapp.token.RedisAccessTokenStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions of the Redis stores. No Redis server is needed: Lettuce connects lazily.
 */
class WeChatMiniAppRedisAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				WeChatMiniAppRedisAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
		.withPropertyValues("wechat.miniapp.app-id=wx0123456789abcdef",
				"wechat.miniapp.app-secret=0123456789abcdef0123456789abcdef", "spring.data.redis.port=1");

	@Test
	void redisOnTheClasspathIsNotChosenSilently() {
		this.runner.run((context) -> {
			assertThat(context.getBean(SessionKeyRepository.class)).isInstanceOf(CaffeineSessionKeyRepository.class);
			assertThat(context.getBean(AccessTokenStore.class)).isInstanceOf(InMemoryAccessTokenStore.class);
		});
	}

	@Test
	void storesOnRedisWhenAskedFor() {
		this.runner.withPropertyValues("wechat.miniapp.session.store=redis", "wechat.miniapp.access-token.store=redis")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(SessionKeyRepository.class)).isInstanceOf(RedisSessionKeyRepository.class);
				assertThat(context.getBean(AccessTokenStore.class)).isInstanceOf(RedisAccessTokenStore.class);
			});
	}

	@Test
	void malformedEncryptionKeyFailsStartupWithoutShowingIt() {
		this.runner
			.withPropertyValues("wechat.miniapp.session.store=redis",
					"wechat.miniapp.session.redis.encryption-key=not-a-key!")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("encryption key")
					.hasMessageNotContaining("not-a-key!");
			});
	}

	@Test
	void withoutSpringDataRedisNothingRedisIsLoaded() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(RedisSessionKeyRepository.class)
					.doesNotHaveBean(RedisAccessTokenStore.class)
					.doesNotHaveBean(WeChatMiniAppRedisAutoConfiguration.class);
				assertThat(context.getBean(SessionKeyRepository.class))
					.isInstanceOf(CaffeineSessionKeyRepository.class);
			});
	}

	@Test
	void askingForRedisWithoutSpringDataRedisFailsClearly() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("wechat.miniapp.session.store=redis")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("wechat.miniapp.session.store=redis needs Spring Data Redis"));
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("wechat.miniapp.access-token.store=redis")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("wechat.miniapp.access-token.store=redis needs Spring Data Redis"));
	}

	@Test
	void userStoresWinOverRedis() {
		this.runner.withPropertyValues("wechat.miniapp.session.store=redis", "wechat.miniapp.access-token.store=redis")
			.withBean(SessionKeyRepository.class, () -> new CaffeineSessionKeyRepository(java.time.Duration.ofMinutes(1), 1))
			.withBean(AccessTokenStore.class, InMemoryAccessTokenStore::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(SessionKeyRepository.class).hasSingleBean(AccessTokenStore.class);
				assertThat(context.getBean(SessionKeyRepository.class))
					.isInstanceOf(CaffeineSessionKeyRepository.class);
			});
	}

}
