package io.github.wechatminiapp.autoconfigure;

import java.time.Clock;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.apps.MiniAppReferer;
import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.security.CaffeineMiniAppBearerTokenStore;
import io.github.wechatminiapp.security.MiniAppLoginConfigurer;
import io.github.wechatminiapp.security.MiniAppBearerTokenService;
import io.github.wechatminiapp.security.MiniAppBearerTokenStore;
import io.github.wechatminiapp.security.MiniAppUserService;
import io.github.wechatminiapp.security.OpaqueMiniAppBearerTokenService;
import io.github.wechatminiapp.security.PhoneNumberServiceResolver;
import io.github.wechatminiapp.security.RedisMiniAppBearerTokenStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The beans behind {@link MiniAppLoginConfigurer}: the bearer-token store (in memory, or on Redis when session keys
 * are), the token service and the default user service. Only in servlet applications with Spring Security's web and
 * config modules.
 */
@AutoConfiguration(after = WeChatMiniAppAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ SecurityFilterChain.class, HttpSecurity.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "wechat.miniapp", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({ WeChatMiniAppProperties.class, WeChatMiniAppSecurityProperties.class })
public final class WeChatMiniAppSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "wechat.miniapp.session", name = "store", havingValue = "caffeine",
			matchIfMissing = true)
	MiniAppBearerTokenStore caffeineMiniAppTokenStore(WeChatMiniAppSecurityProperties properties) {
		return new CaffeineMiniAppBearerTokenStore(properties.getToken().getMaximumSize());
	}

	@Bean
	@ConditionalOnMissingBean(MiniAppBearerTokenStore.class)
	@ConditionalOnProperty(prefix = "wechat.miniapp.session", name = "store", havingValue = "redis")
	MiniAppBearerTokenStore unavailableRedisMiniAppBearerTokenStore() {
		// Asked for explicitly: tokens in memory would be unknown to the other instances, without a word.
		throw new IllegalStateException("wechat.miniapp.session.store=redis keeps bearer tokens on Redis too: it needs "
				+ "Spring Data Redis on the classpath and a RedisConnectionFactory bean (spring-boot-starter-data-redis)");
	}

	@Bean
	@ConditionalOnMissingBean
	MiniAppBearerTokenService miniAppTokenService(MiniAppBearerTokenStore store, WeChatMiniAppSecurityProperties properties) {
		return new OpaqueMiniAppBearerTokenService(store, properties.getToken().getTimeToLive(),
				properties.getToken().getIdleTimeout(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	MiniAppUserService defaultRoleMiniAppUserService(WeChatMiniAppSecurityProperties properties) {
		String authority = "ROLE_" + properties.getDefaultRole();
		return (principal) -> AuthorityUtils.createAuthorityList(authority);
	}

	/**
	 * With several mini programs, a login goes to the app named by the {@code Referer} WeChat sends
	 * ({@code https://servicewechat.com/<appid>/...}), else to the default app. Routing, not authentication: a code
	 * exchanged with the wrong app simply fails at WeChat.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(MiniApps.class)
	PhoneNumberServiceResolver miniAppsPhoneNumberServiceResolver(MiniApps apps,
			ObjectProvider<PhoneNumberService> defaultApp) {
		return (request) -> MiniAppReferer.appId(request.getHeader("Referer"))
			.map(apps::phoneNumbers)
			.orElseGet(() -> {
				PhoneNumberService service = defaultApp.getIfUnique();
				if (service == null) {
					throw new InvalidInputException("The request names no mini program (Referer)");
				}
				return service;
			});
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(StringRedisTemplate.class)
	@ConditionalOnProperty(prefix = "wechat.miniapp.session", name = "store", havingValue = "redis")
	static class RedisTokenStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(MiniAppBearerTokenStore.class)
		@ConditionalOnBean(RedisConnectionFactory.class)
		RedisMiniAppBearerTokenStore redisMiniAppTokenStore(RedisConnectionFactory connectionFactory,
				WeChatMiniAppProperties properties) {
			// Tokens of every app share one namespace: a token is a random secret, and its record names its app.
			String namespace = (properties.getAppId() != null && !properties.getAppId().isBlank())
					? properties.getAppId() : "apps";
			return new RedisMiniAppBearerTokenStore(new StringRedisTemplate(connectionFactory),
					properties.getRedis().getKeyPrefix(), namespace);
		}

	}

}
