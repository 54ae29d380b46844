package io.github.wechatminiapp.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata the configuration processor generates, which IDEs show as help.
 */
class ConfigurationMetadataTests {

	@Test
	void everyPropertyHasADescription() throws IOException {
		JsonNode metadata;
		try (InputStream in = ownMetadata().openStream()) {
			metadata = JsonMapper.builder().build().readTree(in);
		}
		assertThat(metadata.get("properties")).hasSizeGreaterThanOrEqualTo(20).allSatisfy((property) -> {
			assertThat(property.get("name").asString()).startsWith("wechat.miniapp.");
			assertThat(property.path("description").asString("")).as(property.get("name").asString()).isNotBlank();
		});
	}

	@Test
	void readsTheMetadataOfThisModuleNotTheFirstOnTheClasspath() throws IOException {
		assertThat(ownMetadata().toString()).contains(codeSourceOfThisModule())
			.endsWith("/META-INF/spring-configuration-metadata.json");
	}

	/**
	 * Spring Boot's own jars carry a file of the same name, and on some JDKs (25) one of
	 * them comes first on the class path: pick the one beside this module's classes.
	 */
	static URL ownMetadata() throws IOException {
		String ours = codeSourceOfThisModule();
		return Collections
			.list(ConfigurationMetadataTests.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json"))
			.stream()
			.filter((url) -> url.toString().contains(ours))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no generated metadata in " + ours));
	}

	private static String codeSourceOfThisModule() {
		return WeChatMiniAppProperties.class.getProtectionDomain().getCodeSource().getLocation().toString();
	}

}
