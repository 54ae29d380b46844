package io.github.wechatminiapp.autoconfigure;

import io.github.wechatminiapp.autoconfigure.WeChatMiniAppProperties.StoreType;
import io.github.wechatminiapp.security.MiniAppBearerTokenStore;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Explains {@code wechat.miniapp.store=redis} without Redis: thrown by the
 * auto-configuration as {@link RedisStoreUnavailableException}, or met first as the
 * missing Redis bearer-token store (no bean stands in for it only to fail). Ordered
 * first, so that the missing bean is explained by what to add rather than by the
 * conditions that did not match.
 */
final class RedisStoreUnavailableFailureAnalyzer implements FailureAnalyzer, Ordered {

	static final String DESCRIPTION = "wechat.miniapp.store=redis keeps session keys, access tokens and bearer "
			+ "tokens on Redis, but there is no single RedisConnectionFactory bean (or Spring Data Redis is not on the "
			+ "classpath).";

	static final String ACTION = "Add spring-boot-starter-data-redis and point spring.data.redis.* at your Redis "
			+ "(or mark one RedisConnectionFactory @Primary); or, for a single instance, set wechat.miniapp.store=memory.";

	private final Environment environment;

	RedisStoreUnavailableFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RedisStoreUnavailableException
					|| (cause instanceof NoSuchBeanDefinitionException missing
							&& missing.getBeanType() == MiniAppBearerTokenStore.class && redisAskedFor())) {
				return new FailureAnalysis(DESCRIPTION, ACTION, cause);
			}
		}
		return null;
	}

	private boolean redisAskedFor() {
		return OnStoreCondition.configuredStore(Binder.get(this.environment)) == StoreType.REDIS;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
