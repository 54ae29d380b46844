package io.github.wechatminiapp.autoconfigure;

import java.time.Clock;

import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.opendata.FailureBudgetListener;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.security.CaffeineMiniAppBearerTokenStore;
import io.github.wechatminiapp.security.CaffeineMiniAppLoginThrottle;
import io.github.wechatminiapp.security.MiniAppBearerTokenService;
import io.github.wechatminiapp.security.MiniAppBearerTokenStore;
import io.github.wechatminiapp.security.MiniAppLoginConfigurer;
import io.github.wechatminiapp.security.MiniAppLoginThrottle;
import io.github.wechatminiapp.security.MiniAppResolver;
import io.github.wechatminiapp.security.MiniAppUserService;
import io.github.wechatminiapp.security.OpaqueMiniAppBearerTokenService;
import io.github.wechatminiapp.security.RedisMiniAppBearerTokenStore;
import io.github.wechatminiapp.security.RedisMiniAppLoginThrottle;
import io.github.wechatminiapp.session.SessionKeyResetListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The beans behind {@link MiniAppLoginConfigurer}: the bearer-token store and the
 * failed-login throttle (in memory, or on Redis when session keys are), the token
 * service, the default user service, the app resolver and the revocation of a user's
 * tokens when the failure budget drops the user's session keys or a reset replaces them.
 * Only in servlet applications with Spring Security's web and config modules.
 */
@AutoConfiguration(after = WeChatMiniAppAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({ SecurityFilterChain.class, HttpSecurity.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "wechat.miniapp", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({ WeChatMiniAppProperties.class, WeChatMiniAppSecurityProperties.class })
public final class WeChatMiniAppSecurityAutoConfiguration {

	private static final Log logger = LogFactory.getLog(WeChatMiniAppSecurityAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnStoreCondition.Memory.class)
	MiniAppBearerTokenStore caffeineMiniAppBearerTokenStore(WeChatMiniAppSecurityProperties properties) {
		return new CaffeineMiniAppBearerTokenStore(properties.getToken().getMaximumSize());
	}

	@Bean
	@ConditionalOnMissingBean
	MiniAppBearerTokenService miniAppBearerTokenService(MiniAppBearerTokenStore store,
			WeChatMiniAppSecurityProperties properties) {
		OpaqueMiniAppBearerTokenService service = new OpaqueMiniAppBearerTokenService(store,
				properties.getToken().getTimeToLive(), properties.getToken().getIdleTimeout(), Clock.systemUTC());
		service.setMaximumTokensPerUser(properties.getToken().getMaxPerUser());
		return service;
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnStoreCondition.Memory.class)
	MiniAppLoginThrottle caffeineMiniAppLoginThrottle(WeChatMiniAppSecurityProperties properties) {
		return new CaffeineMiniAppLoginThrottle(properties.getLogin().getMaxFailures(),
				properties.getLogin().getFailureWindow(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	MiniAppUserService defaultRoleMiniAppUserService(WeChatMiniAppSecurityProperties properties) {
		String authority = "ROLE_" + properties.getDefaultRole();
		return (principal) -> AuthorityUtils.createAuthorityList(authority);
	}

	/**
	 * A request goes to the app named by the {@code Referer} WeChat sends
	 * ({@code https://servicewechat.com/<appid>/...}), else to the single app. Routing,
	 * not authentication: a code exchanged with the wrong app simply fails at WeChat.
	 * @param apps the configured mini programs
	 * @param singleApp the single app's phone number service, when there is exactly one
	 * app
	 * @return the resolver of the login
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(MiniApps.class)
	MiniAppResolver refererMiniAppResolver(MiniApps apps, ObjectProvider<PhoneNumberService> singleApp) {
		return (request) -> {
			PhoneNumberService single = singleApp.getIfUnique();
			return MiniAppResolver.byReferer(apps, (single != null) ? single.appId() : null).resolve(request);
		};
	}

	/**
	 * The login lives as long as the session key: when the failure budget drops a user's
	 * keys (an attack signal), the user's bearer tokens go too. Replaced by a bean of the
	 * same name only: the metrics' and the application's own failure budget listeners
	 * leave it in place.
	 * @param tokenService the bearer token service, looked up when a budget is spent
	 * @return the listener revoking the user's tokens
	 */
	@Bean
	@ConditionalOnMissingBean(name = "miniAppBearerTokenRevokingFailureBudgetListener")
	@ConditionalOnBooleanProperty(name = "wechat.miniapp.security.token.revoke-with-session-keys",
			matchIfMissing = true)
	FailureBudgetListener miniAppBearerTokenRevokingFailureBudgetListener(
			ObjectProvider<MiniAppBearerTokenService> tokenService) {
		return new FailureBudgetListener() {

			@Override
			public void exhausted(String appId) {
			}

			@Override
			public void exhausted(String appId, String openid) {
				// The keys are gone already: without them the tokens reach no user
				// data.
				revokeAll(tokenService, appId, openid, "dropped");
			}

		};
	}

	/**
	 * The login lives as long as the session key: when a reset replaces a user's key, the
	 * user's bearer tokens go too. Named apart from the failure budget's, so that either
	 * can be replaced by a bean of the same name, and an application's own reset
	 * listeners leave it in place.
	 * @param tokenService the bearer token service, looked up on each reset
	 * @return the listener revoking the user's tokens
	 */
	@Bean
	@ConditionalOnMissingBean(name = "miniAppBearerTokenRevokingSessionKeyResetListener")
	@ConditionalOnBooleanProperty(name = "wechat.miniapp.security.token.revoke-with-session-keys",
			matchIfMissing = true)
	SessionKeyResetListener miniAppBearerTokenRevokingSessionKeyResetListener(
			ObjectProvider<MiniAppBearerTokenService> tokenService) {
		// The new key is stored already: failing the reset would tell the caller that it
		// did not happen.
		return (appId, openid) -> revokeAll(tokenService, appId, openid, "reset");
	}

	/**
	 * Revokes the user's tokens, failing soft: the caller's session key change has
	 * happened and stays. Only the exception's class is logged, never the user's data.
	 * @param tokenService the bearer token service; nothing is revoked without one
	 * @param appId the app the user logged in to
	 * @param openid the user whose tokens go
	 * @param keysWere what happened to the session keys, for the log line
	 */
	private static void revokeAll(ObjectProvider<MiniAppBearerTokenService> tokenService, String appId, String openid,
			String keysWere) {
		MiniAppBearerTokenService tokens = tokenService.getIfUnique();
		if (tokens != null) {
			try {
				tokens.revokeAll(appId, openid);
			}
			catch (RuntimeException ex) {
				logger.warn("Bearer tokens of a user whose session keys were " + keysWere + " not revoked: "
						+ ex.getClass().getSimpleName());
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(StringRedisTemplate.class)
	@Conditional(OnStoreCondition.Redis.class)
	static class RedisTokenStoreConfiguration {

		/**
		 * One namespace for the tokens of every app: a token is a random secret, and its
		 * record names its app.
		 * @param connectionFactory the application's single Redis connection factory
		 * @param properties the starter's properties, whose Redis key prefix the records
		 * share
		 * @return the token store on Redis
		 */
		@Bean
		@ConditionalOnMissingBean(MiniAppBearerTokenStore.class)
		@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
		RedisMiniAppBearerTokenStore redisMiniAppBearerTokenStore(RedisConnectionFactory connectionFactory,
				WeChatMiniAppProperties properties) {
			return new RedisMiniAppBearerTokenStore(new StringRedisTemplate(connectionFactory),
					properties.getRedis().getKeyPrefix());
		}

		@Bean
		@ConditionalOnMissingBean(MiniAppLoginThrottle.class)
		@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
		RedisMiniAppLoginThrottle redisMiniAppLoginThrottle(RedisConnectionFactory connectionFactory,
				WeChatMiniAppProperties properties, WeChatMiniAppSecurityProperties securityProperties) {
			return new RedisMiniAppLoginThrottle(new StringRedisTemplate(connectionFactory),
					properties.getRedis().getKeyPrefix(), securityProperties.getLogin().getMaxFailures(),
					securityProperties.getLogin().getFailureWindow());
		}

	}

}
