package io.github.wechatminiapp.autoconfigure;

import java.time.Clock;

import io.github.wechatminiapp.client.RedactingClientRequestObservationConvention;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.opendata.OpenDataService;
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
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * Auto-configuration of the WeChat Mini Program client, session-key store, access tokens and
 * {@link PhoneNumberService} and {@link OpenDataService}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration")
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
			ObjectProvider<RestClient.Builder> restClientBuilder, ObjectProvider<ObservationRegistry> observationRegistry) {
		// The context's builder carries the user's customizers and observations; it is a prototype, ours to change.
		RestClient.Builder builder = restClientBuilder.getIfAvailable(RestClient::builder);
		RestClient restClient = builder.baseUrl(properties.getApiBaseUrl())
			.requestFactory(http.requestFactory())
			.observationConvention(new RedactingClientRequestObservationConvention())
			.build();
		WeChatMiniAppProperties.Retry retry = properties.getRetry();
		return new WeChatMiniAppClient(restClient, properties.getAppId(), properties.getAppSecret(),
				new RetrySettings(retry.getMaxAttempts(), retry.getInitialBackoff(), retry.getMaxBackoff(),
						retry.getMultiplier()),
				observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
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
		return new CachingAccessTokenProvider(client, store, properties.getAccessToken().isStable(),
				properties.getAccessToken().getRefreshBefore(), properties.getAccessToken().getLockWait(),
				Clock.systemUTC());
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

	@Bean
	@ConditionalOnMissingBean
	OpenDataService openDataService(WeChatMiniAppClient client, SessionKeyRepository sessionKeys,
			AccessTokenProvider accessTokens, WeChatMiniAppProperties properties,
			ObjectProvider<OpenDataRejectionListener> rejectionListener,
			ObjectProvider<FailureBudgetListener> failureBudgetListener, ObjectProvider<JsonMapper> jsonMapper) {
		// The application's mapper, so its modules bind the application's own payload types.
		return new OpenDataService(client, sessionKeys, accessTokens, properties.getWatermark().getMaxAge(),
				Clock.systemUTC(), rejectionListener.getIfAvailable(() -> OpenDataRejectionListener.NONE),
				properties.getSession().getDecryptionFailureBudget(),
				failureBudgetListener.getIfAvailable(() -> FailureBudgetListener.NONE),
				jsonMapper.getIfUnique(() -> JsonMapper.builder().build()));
	}

}
