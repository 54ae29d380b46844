package io.github.wechatminiapp.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.github.wechatminiapp.security.MiniAppBearerTokenStore;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.token.AccessTokenStore;
import io.github.wechatminiapp.token.InMemoryAccessTokenStore;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wechat.miniapp.store=redis} without Redis fails startup with a description and
 * an action, whichever store meets the absence first; no bean stands in for a store only
 * to throw.
 */
class RedisStoreUnavailableFailureAnalyzerTests {

	private static final String APP = "wechat.miniapp.app-id=wx0123456789abcdef";

	private static final String SECRET = "wechat.miniapp.app-secret=0123456789abcdef0123456789abcdef";

	@Test
	void withoutSpringDataRedisEveryStoreSwitchIsExplained() {
		for (String store : List.of("wechat.miniapp.store=redis", "wechat.miniapp.session.store=redis",
				"wechat.miniapp.access-token.store=redis")) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(WeChatMiniAppAutoConfiguration.class))
				.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
				.withPropertyValues(APP, SECRET, store)
				.run((context) -> {
					assertThat(context).hasFailed();
					assertExplained(analyzer(store).analyze(context.getStartupFailure()));
				});
		}
	}

	@Test
	void theBearerTokenStoreMissingForWantOfRedisIsExplained() {
		// The other stores are the application's own: the bearer tokens' is the first to
		// need Redis.
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WeChatMiniAppAutoConfiguration.class,
					WeChatMiniAppSecurityAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues(APP, SECRET, "wechat.miniapp.store=redis")
			.withBean(SessionKeyRepository.class, () -> new CaffeineSessionKeyRepository(Duration.ofHours(1), 10))
			.withBean(AccessTokenStore.class, InMemoryAccessTokenStore::new)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(NoSuchBeanDefinitionException.class)
					.hasMessageContaining(MiniAppBearerTokenStore.class.getName());
				assertExplained(analyzer("wechat.miniapp.store=redis").analyze(context.getStartupFailure()));
			});
	}

	@Test
	void twoConnectionFactoriesWithoutAPrimaryOneAreExplained() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					WeChatMiniAppRedisAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
			.withPropertyValues(APP, SECRET, "wechat.miniapp.store=redis")
			.withBean("one", RedisConnectionFactory.class, () -> new LettuceConnectionFactory("127.0.0.1", 1))
			.withBean("two", RedisConnectionFactory.class, () -> new LettuceConnectionFactory("127.0.0.1", 2))
			.run((context) -> assertExplained(
					analyzer("wechat.miniapp.store=redis").analyze(context.getStartupFailure())));
	}

	@Test
	void otherFailuresAreLeftToSpringBoot() {
		NoSuchBeanDefinitionException missingStore = new NoSuchBeanDefinitionException(MiniAppBearerTokenStore.class);
		// In memory, a missing bearer-token store is not for want of Redis.
		assertThat(analyzer("wechat.miniapp.store=memory").analyze(missingStore)).isNull();
		assertThat(analyzer().analyze(missingStore)).isNull();
		assertThat(analyzer("wechat.miniapp.store=redis").analyze(new IllegalStateException("wrapped", missingStore)))
			.isNotNull();
		assertThat(analyzer("wechat.miniapp.store=redis")
			.analyze(new NoSuchBeanDefinitionException(SessionKeyRepository.class))).isNull();
		assertThat(analyzer("wechat.miniapp.store=redis").analyze(new NoSuchBeanDefinitionException("byName")))
			.isNull();
		assertThat(analyzer("wechat.miniapp.store=redis").analyze(new IllegalStateException("other"))).isNull();
	}

	@Test
	void springBootFindsTheAnalyzer() {
		ArgumentResolver arguments = ArgumentResolver.of(Environment.class, new MockEnvironment())
			.and(BeanFactory.class, new DefaultListableBeanFactory());
		// Boot's own analyzers want arguments this test does not give: they are skipped.
		FailureHandler skipOthers = FailureHandler.handleMessage((message, failure) -> {
		});
		assertThat(
				SpringFactoriesLoader.forDefaultResourceLocation().load(FailureAnalyzer.class, arguments, skipOthers))
			.hasAtLeastOneElementOfType(RedisStoreUnavailableFailureAnalyzer.class)
			.hasAtLeastOneElementOfType(NoMiniAppConfiguredFailureAnalyzer.class);
	}

	private static void assertExplained(FailureAnalysis analysis) {
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).isEqualTo(RedisStoreUnavailableFailureAnalyzer.DESCRIPTION)
			.contains("wechat.miniapp.store=redis");
		assertThat(analysis.getAction()).isEqualTo(RedisStoreUnavailableFailureAnalyzer.ACTION)
			.contains("spring-boot-starter-data-redis", "wechat.miniapp.store=memory");
	}

	private static RedisStoreUnavailableFailureAnalyzer analyzer(String... properties) {
		MockEnvironment environment = new MockEnvironment();
		TestPropertyValues.of(properties).applyTo(environment);
		return new RedisStoreUnavailableFailureAnalyzer(environment);
	}

}
