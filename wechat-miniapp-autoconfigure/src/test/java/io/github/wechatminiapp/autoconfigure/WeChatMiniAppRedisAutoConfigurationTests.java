package io.github.wechatminiapp.autoconfigure;

import io.github.wechatminiapp.apps.MiniApps;
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
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

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
		this.runner.withPropertyValues("wechat.miniapp.store=redis").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(SessionKeyRepository.class)).isInstanceOf(RedisSessionKeyRepository.class);
			assertThat(context.getBean(AccessTokenStore.class)).isInstanceOf(RedisAccessTokenStore.class);
			assertThat(context.getBean(MiniApps.class).app("wx0123456789abcdef").sessionKeys())
				.isSameAs(context.getBean(SessionKeyRepository.class));
		});
	}

	@Test
	void everyAppOfSeveralIsOnRedis() {
		this.runner
			.withPropertyValues("wechat.miniapp.store=redis", "wechat.miniapp.apps.shop.app-id=wx1111111111111111",
					"wechat.miniapp.apps.shop.app-secret=0123456789abcdef0123456789abcdef")
			.run((context) -> {
				MiniApps apps = context.getBean(MiniApps.class);
				assertThat(apps.app("wx0123456789abcdef").sessionKeys()).isInstanceOf(RedisSessionKeyRepository.class);
				assertThat(apps.app("wx1111111111111111").sessionKeys()).isInstanceOf(RedisSessionKeyRepository.class);
			});
	}

	@Test
	void eitherDeprecatedStoreSwitchStillPutsEveryStoreOnRedis() {
		for (String alias : new String[] { "wechat.miniapp.session.store=redis",
				"wechat.miniapp.access-token.store=redis" }) {
			this.runner.withPropertyValues(alias).run((context) -> {
				assertThat(context.getBean(SessionKeyRepository.class)).as(alias)
					.isInstanceOf(RedisSessionKeyRepository.class);
				assertThat(context.getBean(AccessTokenStore.class)).as(alias).isInstanceOf(RedisAccessTokenStore.class);
			});
		}
		this.runner.withPropertyValues("wechat.miniapp.session.store=caffeine").run((context) -> {
			assertThat(context.getBean(SessionKeyRepository.class)).isInstanceOf(CaffeineSessionKeyRepository.class);
			assertThat(context.getBean(AccessTokenStore.class)).isInstanceOf(InMemoryAccessTokenStore.class);
		});
	}

	@Test
	void malformedEncryptionKeyFailsStartupWithoutShowingIt() {
		for (String key : new String[] { "wechat.miniapp.redis.encryption-key",
				"wechat.miniapp.session.redis.encryption-key" }) {
			this.runner.withPropertyValues("wechat.miniapp.store=redis", key + "=not-a-key!").run((context) -> {
				assertThat(context).as(key).hasFailed();
				assertThat(context.getStartupFailure()).as(key)
					.rootCause()
					.hasMessageContaining("encryption key")
					.hasMessageNotContaining("not-a-key!");
			});
		}
	}

	@Test
	void withoutSpringDataRedisNothingRedisIsLoaded() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis")).run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(RedisSessionKeyRepository.class)
				.doesNotHaveBean(RedisAccessTokenStore.class)
				.doesNotHaveBean(WeChatMiniAppRedisAutoConfiguration.class);
			assertThat(context.getBean(SessionKeyRepository.class)).isInstanceOf(CaffeineSessionKeyRepository.class);
		});
	}

	@Test
	void askingForRedisWithoutSpringDataRedisFailsClearly() {
		for (String store : new String[] { "wechat.miniapp.store=redis", "wechat.miniapp.session.store=redis",
				"wechat.miniapp.access-token.store=redis" }) {
			this.runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
				.withPropertyValues(store)
				.run((context) -> assertThat(context.getStartupFailure()).as(store)
					.rootCause()
					.hasMessageContaining("wechat.miniapp.store=redis needs Spring Data Redis"));
		}
	}

	@Test
	void twoConnectionFactoriesWithoutAPrimaryOneAreNotGuessedBetween() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WeChatMiniAppRedisAutoConfiguration.class,
					WeChatMiniAppAutoConfiguration.class))
			.withPropertyValues("wechat.miniapp.app-id=wx0123456789abcdef",
					"wechat.miniapp.app-secret=0123456789abcdef0123456789abcdef", "wechat.miniapp.store=redis")
			.withBean("one", RedisConnectionFactory.class, () -> new LettuceConnectionFactory("127.0.0.1", 1))
			.withBean("two", RedisConnectionFactory.class, () -> new LettuceConnectionFactory("127.0.0.1", 2))
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("wechat.miniapp.store=redis needs Spring Data Redis on the classpath and a "
						+ "RedisConnectionFactory bean"));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WeChatMiniAppRedisAutoConfiguration.class,
					WeChatMiniAppAutoConfiguration.class))
			.withPropertyValues("wechat.miniapp.app-id=wx0123456789abcdef",
					"wechat.miniapp.app-secret=0123456789abcdef0123456789abcdef", "wechat.miniapp.store=redis")
			.withBean("one", RedisConnectionFactory.class, () -> new LettuceConnectionFactory("127.0.0.1", 1),
					(definition) -> definition.setPrimary(true))
			.withBean("two", RedisConnectionFactory.class, () -> new LettuceConnectionFactory("127.0.0.1", 2))
			.run((context) -> assertThat(context.getBean(SessionKeyRepository.class))
				.isInstanceOf(RedisSessionKeyRepository.class));
	}

	@Test
	void userStoresWinOverRedis() {
		this.runner.withPropertyValues("wechat.miniapp.store=redis")
			.withBean(SessionKeyRepository.class,
					() -> new CaffeineSessionKeyRepository(java.time.Duration.ofMinutes(1), 1))
			.withBean(AccessTokenStore.class, InMemoryAccessTokenStore::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(SessionKeyRepository.class).hasSingleBean(AccessTokenStore.class);
				assertThat(context.getBean(SessionKeyRepository.class))
					.isInstanceOf(CaffeineSessionKeyRepository.class);
			});
	}

}
