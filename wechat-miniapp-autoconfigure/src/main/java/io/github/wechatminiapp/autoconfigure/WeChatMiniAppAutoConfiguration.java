package io.github.wechatminiapp.autoconfigure;

import java.time.Clock;

import io.github.wechatminiapp.client.RedactingClientRequestObservationConvention;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.phone.OpenDataRejectionListener;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.FailureBudgetListener;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.token.AccessTokenProvider;
import io.github.wechatminiapp.token.AccessTokenStore;
import io.github.wechatminiapp.token.CachingAccessTokenProvider;
import io.github.wechatminiapp.token.InMemoryAccessTokenStore;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * Auto-configuration of the WeChat Mini Program client, session-key store, access tokens and
 * {@link PhoneNumberService}.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "wechat.miniapp", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(WeChatMiniAppProperties.class)
public final class WeChatMiniAppAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(WeChatMiniAppClient.class)
	WeChatMiniAppHttpResources weChatMiniAppHttpResources(WeChatMiniAppProperties properties) {
		return new WeChatMiniAppHttpResources(properties.getHttp().getConnectTimeout(),
				properties.getHttp().getReadTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	WeChatMiniAppClient weChatMiniAppClient(WeChatMiniAppProperties properties, WeChatMiniAppHttpResources http,
			ObjectProvider<WeChatMiniAppRestClientCustomizer> customizers,
			ObjectProvider<ObservationRegistry> observationRegistry) {
		// Not the context's RestClient.Builder: the application's customizers (request logging, say) would see
		// the app secret and access tokens WeChat takes in query strings. Only observations are taken over, with
		// the query string redacted, and only customizers written for this client.
		ObservationRegistry observations = observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP);
		RestClient.Builder builder = RestClient.builder()
			.baseUrl(properties.getApiBaseUrl())
			.requestFactory(http.requestFactory())
			.observationRegistry(observations)
			.observationConvention(new RedactingClientRequestObservationConvention());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		WeChatMiniAppProperties.Retry retry = properties.getRetry();
		return new WeChatMiniAppClient(builder.build(), properties.getAppId(), properties.getAppSecret(),
				retrySettings(retry), observations);
	}

	private static RetrySettings retrySettings(WeChatMiniAppProperties.Retry retry) {
		return new RetrySettings(retry.getMaxAttempts(), retry.getInitialBackoff(), retry.getMaxBackoff(),
				retry.getMultiplier());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "wechat.miniapp.session", name = "store", havingValue = "caffeine",
			matchIfMissing = true)
	SessionKeyRepository caffeineSessionKeyRepository(WeChatMiniAppProperties properties) {
		return new CaffeineSessionKeyRepository(properties.getSession().getTimeToLive(),
				properties.getSession().getMaximumSize(), properties.getSession().getPreviousKeyTimeToLive());
	}

	@Bean
	@ConditionalOnMissingBean(SessionKeyRepository.class)
	@ConditionalOnProperty(prefix = "wechat.miniapp.session", name = "store", havingValue = "redis")
	SessionKeyRepository unavailableRedisSessionKeyRepository() {
		// Asked for explicitly: falling back to memory would lose keys between instances without a word.
		throw new IllegalStateException("wechat.miniapp.session.store=redis needs Spring Data Redis on the "
				+ "classpath and a RedisConnectionFactory bean (spring-boot-starter-data-redis)");
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "wechat.miniapp.access-token", name = "store", havingValue = "memory",
			matchIfMissing = true)
	AccessTokenStore weChatAccessTokenStore() {
		return new InMemoryAccessTokenStore();
	}

	@Bean
	@ConditionalOnMissingBean(AccessTokenStore.class)
	@ConditionalOnProperty(prefix = "wechat.miniapp.access-token", name = "store", havingValue = "redis")
	AccessTokenStore unavailableRedisAccessTokenStore() {
		throw new IllegalStateException("wechat.miniapp.access-token.store=redis needs Spring Data Redis on the "
				+ "classpath and a RedisConnectionFactory bean (spring-boot-starter-data-redis)");
	}

	@Bean
	@ConditionalOnMissingBean(AccessTokenProvider.class)
	CachingAccessTokenProvider weChatAccessTokenProvider(WeChatMiniAppClient client, AccessTokenStore store,
			WeChatMiniAppProperties properties) {
		WeChatMiniAppProperties.AccessToken accessToken = properties.getAccessToken();
		return new CachingAccessTokenProvider(client, store, accessToken.isStable(), accessToken.getRefreshBefore(),
				accessToken.getLockWait(),
				CachingAccessTokenProvider.lockLease(properties.getHttp().getConnectTimeout(),
						properties.getHttp().getReadTimeout(), retrySettings(properties.getRetry())),
				accessToken.getForcedRefreshesPerDay(), Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	PhoneNumberService phoneNumberService(WeChatMiniAppClient client, SessionKeyRepository sessionKeys,
			AccessTokenProvider accessTokens, WeChatMiniAppProperties properties,
			ObjectProvider<OpenDataRejectionListener> rejectionListener,
			ObjectProvider<FailureBudgetListener> failureBudgetListener) {
		return new PhoneNumberService(client, sessionKeys, accessTokens, properties.getWatermark().getMaxAge(),
				Clock.systemUTC(), rejectionListener.getIfAvailable(() -> OpenDataRejectionListener.NONE),
				properties.getSession().getDecryptionFailureBudget(),
				failureBudgetListener.getIfAvailable(() -> FailureBudgetListener.NONE));
	}

}
