package io.github.wechatminiapp.autoconfigure;

import io.github.wechatminiapp.session.RedisSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.token.AccessTokenStore;
import io.github.wechatminiapp.token.RedisAccessTokenStore;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Session keys and the access token on Redis, for several instances. Chosen only by
 * {@code wechat.miniapp.session.store=redis} and {@code wechat.miniapp.access-token.store=redis}, never by the
 * mere presence of Redis.
 */
@AutoConfiguration(before = WeChatMiniAppAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(StringRedisTemplate.class)
@ConditionalOnProperty(prefix = "wechat.miniapp", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(WeChatMiniAppProperties.class)
public final class WeChatMiniAppRedisAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(RedisConnectionFactory.class)
	MiniAppServicesFactory.RedisStores weChatMiniAppRedisStores(RedisConnectionFactory connectionFactory,
			WeChatMiniAppProperties properties) {
		return new MiniAppServicesFactory.RedisStores(new StringRedisTemplate(connectionFactory),
				properties.getRedis().getKeyPrefix(), properties.getSession().getRedis().getEncryptionKey());
	}

	@Bean
	@ConditionalOnMissingBean(SessionKeyRepository.class)
	@ConditionalOnBean(RedisConnectionFactory.class)
	@ConditionalOnProperty(prefix = "wechat.miniapp.session", name = "store", havingValue = "redis")
	@Conditional(OnDefaultMiniAppCondition.class)
	RedisSessionKeyRepository redisSessionKeyRepository(MiniAppServicesFactory factory) {
		return factory.redisSessionKeys(factory.requireDefaultApp().appId());
	}

	@Bean
	@ConditionalOnMissingBean(AccessTokenStore.class)
	@ConditionalOnBean(RedisConnectionFactory.class)
	@ConditionalOnProperty(prefix = "wechat.miniapp.access-token", name = "store", havingValue = "redis")
	@Conditional(OnDefaultMiniAppCondition.class)
	RedisAccessTokenStore redisAccessTokenStore(MiniAppServicesFactory factory) {
		return factory.redisAccessTokenStore(factory.requireDefaultApp().appId());
	}

}
