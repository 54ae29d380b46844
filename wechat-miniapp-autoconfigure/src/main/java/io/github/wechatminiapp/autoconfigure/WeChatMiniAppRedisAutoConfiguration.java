package io.github.wechatminiapp.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis stores of every app, for several instances: made available where Spring Data
 * Redis and a {@link RedisConnectionFactory} are, and used only when
 * {@code wechat.miniapp.store=redis} asks for them, never for the mere presence of Redis.
 */
@AutoConfiguration(before = WeChatMiniAppAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(StringRedisTemplate.class)
@ConditionalOnProperty(prefix = "wechat.miniapp", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(WeChatMiniAppProperties.class)
public final class WeChatMiniAppRedisAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
	MiniAppServicesFactory.RedisStores weChatMiniAppRedisStores(RedisConnectionFactory connectionFactory,
			WeChatMiniAppProperties properties) {
		return new MiniAppServicesFactory.RedisStores(new StringRedisTemplate(connectionFactory),
				properties.getRedis().getKeyPrefix(), properties.redisEncryptionKey());
	}

}
