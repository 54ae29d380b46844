package io.github.wechatminiapp.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The renamed properties keep working for a release: their value is taken, one WARN at
 * startup names the replacement, and the metadata marks them deprecated so that IDEs do
 * too.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeprecatedPropertyAliasesTests {

	private static final String KEY = "AAECAwQFBgcICQoLDA0ODw==";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesOnly.class)
		.withPropertyValues("wechat.miniapp.app-id=wx0123456789abcdef",
				"wechat.miniapp.app-secret=0123456789abcdef0123456789abcdef");

	@Test
	void storeIsMemoryUnlessSet(CapturedOutput output) {
		assertThat(new WeChatMiniAppProperties().getStore()).isEqualTo(WeChatMiniAppProperties.StoreType.MEMORY);
		this.runner.run((context) -> assertThat(context.getBean(WeChatMiniAppProperties.class).getStore())
			.isEqualTo(WeChatMiniAppProperties.StoreType.MEMORY));
		this.runner.withPropertyValues("wechat.miniapp.store=redis")
			.run((context) -> assertThat(context.getBean(WeChatMiniAppProperties.class).getStore())
				.isEqualTo(WeChatMiniAppProperties.StoreType.REDIS));
		assertThat(output).doesNotContain("deprecated");
	}

	@Test
	void sessionStoreIsTakenWithOneWarning(CapturedOutput output) {
		this.runner.withPropertyValues("wechat.miniapp.session.store=redis")
			.run((context) -> assertThat(context.getBean(WeChatMiniAppProperties.class).getStore())
				.isEqualTo(WeChatMiniAppProperties.StoreType.REDIS));
		assertThat(occurrences(output, "wechat.miniapp.session.store is deprecated: set wechat.miniapp.store instead"))
			.isOne();
		assertThat(output).contains("WARN");
	}

	@Test
	void sessionStoreCaffeineMeansMemory() {
		this.runner.withPropertyValues("wechat.miniapp.session.store=caffeine")
			.run((context) -> assertThat(context.getBean(WeChatMiniAppProperties.class).getStore())
				.isEqualTo(WeChatMiniAppProperties.StoreType.MEMORY));
	}

	@Test
	void accessTokenStoreIsTakenWithOneWarning(CapturedOutput output) {
		this.runner.withPropertyValues("wechat.miniapp.access-token.store=redis")
			.run((context) -> assertThat(context.getBean(WeChatMiniAppProperties.class).getStore())
				.isEqualTo(WeChatMiniAppProperties.StoreType.REDIS));
		assertThat(occurrences(output, "wechat.miniapp.access-token.store is deprecated: set wechat.miniapp.store"))
			.isOne();
	}

	@Test
	void theNewStoreSwitchWinsOverItsAliases(CapturedOutput output) {
		this.runner
			.withPropertyValues("wechat.miniapp.store=memory", "wechat.miniapp.session.store=redis",
					"wechat.miniapp.access-token.store=redis")
			.run((context) -> assertThat(context.getBean(WeChatMiniAppProperties.class).getStore())
				.isEqualTo(WeChatMiniAppProperties.StoreType.MEMORY));
		assertThat(occurrences(output, "(which is set, and wins)")).isEqualTo(2);
	}

	@Test
	void sessionRedisEncryptionKeyIsTakenWithOneWarningThatDoesNotShowIt(CapturedOutput output) {
		this.runner.withPropertyValues("wechat.miniapp.session.redis.encryption-key=" + KEY)
			.run((context) -> assertThat(context.getBean(WeChatMiniAppProperties.class).redisEncryptionKey())
				.isEqualTo(KEY));
		assertThat(occurrences(output,
				"wechat.miniapp.session.redis.encryption-key is deprecated: set wechat.miniapp.redis.encryption-key"))
			.isOne();
		assertThat(output).doesNotContain(KEY);
		this.runner
			.withPropertyValues("wechat.miniapp.redis.encryption-key=" + KEY,
					"wechat.miniapp.session.redis.encryption-key=BBECAwQFBgcICQoLDA0ODw==")
			.run((context) -> assertThat(context.getBean(WeChatMiniAppProperties.class).redisEncryptionKey())
				.isEqualTo(KEY));
	}

	@Test
	void theMetadataMarksEachAliasDeprecatedWithItsReplacement() throws IOException {
		JsonNode metadata = ourMetadata();
		assertThat(deprecation(metadata, "wechat.miniapp.session.store").get("replacement").asString())
			.isEqualTo("wechat.miniapp.store");
		assertThat(deprecation(metadata, "wechat.miniapp.access-token.store").get("replacement").asString())
			.isEqualTo("wechat.miniapp.store");
		assertThat(deprecation(metadata, "wechat.miniapp.session.redis.encryption-key").get("replacement").asString())
			.isEqualTo("wechat.miniapp.redis.encryption-key");
		assertThat(property(metadata, "wechat.miniapp.store").get("defaultValue").asString()).isEqualTo("memory");
		assertThat(property(metadata, "wechat.miniapp.store").has("deprecation")).isFalse();
		assertThat(property(metadata, "wechat.miniapp.redis.encryption-key").has("deprecation")).isFalse();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(WeChatMiniAppProperties.class)
	static class PropertiesOnly {

	}

	private static JsonNode deprecation(JsonNode metadata, String name) {
		JsonNode property = property(metadata, name);
		assertThat(property.path("deprecated").asBoolean()).as(name).isTrue();
		return property.get("deprecation");
	}

	private static JsonNode property(JsonNode metadata, String name) {
		for (JsonNode property : metadata.get("properties")) {
			if (property.get("name").asString().equals(name)) {
				return property;
			}
		}
		throw new AssertionError(name + " is not in the metadata");
	}

	/** Ours, not the first on the classpath (which may be Spring Boot's). */
	static JsonNode ourMetadata() throws IOException {
		for (URL url : Collections.list(DeprecatedPropertyAliasesTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				JsonNode metadata = JsonMapper.builder().build().readTree(in);
				if (metadata.path("groups").toString().contains("\"wechat.miniapp\"")) {
					return metadata;
				}
			}
		}
		throw new AssertionError("no metadata of wechat.miniapp on the classpath");
	}

	private static int occurrences(CapturedOutput output, String text) {
		Matcher matcher = Pattern.compile(Pattern.quote(text)).matcher(output.getAll());
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

}
