package io.github.wechatminiapp.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.github.wechatminiapp.apps.MiniAppCredentials;
import io.github.wechatminiapp.crypto.Watermark;
import io.github.wechatminiapp.opendata.OpenDataDecryptor;
import io.github.wechatminiapp.security.MiniAppLoginConfigurer;
import io.github.wechatminiapp.security.OpaqueMiniAppBearerTokenService;
import io.github.wechatminiapp.session.RedisSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.token.CachingAccessTokenProvider;
import io.github.wechatminiapp.token.RedisAccessTokenStore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each default is decided once, by the library class that uses it, and the properties
 * repeat it as a literal, as Spring Boot's own properties repeat their libraries'
 * defaults: the configuration processor records a {@code defaultValue} for IDEs only when
 * the field's initialiser is a literal. These tests fail as soon as a property, its
 * metadata and the library disagree.
 */
class PropertyDefaultsTests {

	private final WeChatMiniAppProperties properties = new WeChatMiniAppProperties();

	private final WeChatMiniAppSecurityProperties security = new WeChatMiniAppSecurityProperties();

	@Test
	void decryptionDefaultsAreTheLibrarys() throws IOException {
		assertDefault("wechat.miniapp.watermark.max-age", this.properties.getWatermark().getMaxAge(),
				Watermark.DEFAULT_MAX_AGE);
		assertDefault("wechat.miniapp.session.decryption-failure-budget",
				this.properties.getSession().getDecryptionFailureBudget(), OpenDataDecryptor.DEFAULT_FAILURE_BUDGET);
	}

	@Test
	void sessionKeyDefaultsAreTheLibrarys() throws IOException {
		assertDefault("wechat.miniapp.session.time-to-live", this.properties.getSession().getTimeToLive(),
				RedisSessionKeyRepository.DEFAULT_TIME_TO_LIVE);
		assertDefault("wechat.miniapp.session.previous-key-time-to-live",
				this.properties.getSession().getPreviousKeyTimeToLive(),
				SessionKeyRepository.DEFAULT_PREVIOUS_KEY_TIME_TO_LIVE);
	}

	@Test
	void redisDefaultsAreTheLibrarys() throws IOException {
		assertDefault("wechat.miniapp.redis.key-prefix", this.properties.getRedis().getKeyPrefix(),
				RedisSessionKeyRepository.DEFAULT_KEY_PREFIX);
		assertThat(RedisAccessTokenStore.DEFAULT_KEY_PREFIX).isEqualTo(RedisSessionKeyRepository.DEFAULT_KEY_PREFIX);
	}

	@Test
	void accessTokenAndApiSecurityDefaultsAreTheLibrarys() throws IOException {
		assertDefault("wechat.miniapp.access-token.forced-refreshes-per-day",
				this.properties.getAccessToken().getForcedRefreshesPerDay(),
				CachingAccessTokenProvider.DEFAULT_FORCED_REFRESHES_PER_DAY);
		assertDefault("wechat.miniapp.api-security.replay-window", this.properties.getApiSecurity().getReplayWindow(),
				MiniAppCredentials.ApiSecurity.DEFAULT_REPLAY_WINDOW);
	}

	@Test
	void securityDefaultsAreTheLibrarys() throws IOException {
		assertDefault("wechat.miniapp.security.token.max-per-user", this.security.getToken().getMaxPerUser(),
				OpaqueMiniAppBearerTokenService.DEFAULT_MAXIMUM_TOKENS_PER_USER);
		assertDefault("wechat.miniapp.security.login.max-failures", this.security.getLogin().getMaxFailures(),
				MiniAppLoginConfigurer.DEFAULT_MAX_FAILED_LOGINS_PER_MINUTE);
		assertDefault("wechat.miniapp.security.login.failure-window", this.security.getLogin().getFailureWindow(),
				Duration.ofMinutes(1));
	}

	/**
	 * The property's default, as bound and as the metadata tells IDEs, is the library's.
	 */
	private static void assertDefault(String name, Object bound, Object library) throws IOException {
		assertThat(bound).as(name).isEqualTo(library);
		String recorded = metadataDefaults().get(name);
		assertThat(recorded).as(name + " in the metadata").isNotNull();
		Object parsed = (library instanceof Duration) ? DurationStyle.detectAndParse(recorded)
				: (library instanceof Integer) ? Integer.valueOf(recorded) : recorded;
		assertThat(parsed).as(name + " in the metadata").isEqualTo(library);
	}

	private static Map<String, String> metadataDefaults() throws IOException {
		JsonNode metadata;
		try (InputStream in = ConfigurationMetadataTests.ownMetadata().openStream()) {
			metadata = JsonMapper.builder().build().readTree(in);
		}
		Map<String, String> defaults = new HashMap<>();
		for (JsonNode property : metadata.get("properties")) {
			JsonNode value = property.get("defaultValue");
			if (value != null) {
				defaults.put(property.get("name").asString(), value.asString());
			}
		}
		return defaults;
	}

}
