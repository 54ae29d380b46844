package io.github.wechatminiapp.autoconfigure;

import java.io.IOException;
import java.io.InputStream;

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
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated metadata").isNotNull();
			metadata = JsonMapper.builder().build().readTree(in);
		}
		assertThat(metadata.get("properties")).hasSizeGreaterThanOrEqualTo(20).allSatisfy((property) -> {
			assertThat(property.get("name").asString()).startsWith("wechat.miniapp.");
			assertThat(property.path("description").asString("")).as(property.get("name").asString()).isNotBlank();
		});
	}

}
