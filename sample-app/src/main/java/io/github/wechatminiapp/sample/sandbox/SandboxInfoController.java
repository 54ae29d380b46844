package io.github.wechatminiapp.sample.sandbox;

import java.util.Map;

import io.github.wechatminiapp.apps.MiniApps;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tells the simulator page where the sandbox's control endpoints are. Exists only in
 * sandbox mode: with real credentials {@code GET /sandbox-info} answers 404.
 */
@RestController
@ConditionalOnProperty(SandboxEnvironmentPostProcessor.BASE_URL_PROPERTY)
class SandboxInfoController {

	private final Map<String, Object> info;

	SandboxInfoController(@Value("${" + SandboxEnvironmentPostProcessor.BASE_URL_PROPERTY + "}") String baseUrl,
			@Value("${wechat.miniapp.app-id}") String appId, MiniApps apps) {
		this.info = Map.of("sandbox", true, "baseUrl", baseUrl, "appId", appId, "appIds", apps.appIds());
	}

	@GetMapping(path = "/sandbox-info", produces = "application/json")
	Map<String, Object> info() {
		return this.info;
	}

}
