package io.github.wechatminiapp.sample.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.wechatminiapp.test.WeChatSandbox;
import org.apache.commons.logging.Log;

import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Sandbox mode: when no {@code wechat.miniapp.app-id} is configured, starts a {@link WeChatSandbox} on loopback
 * and points the starter at it, so the app runs on a fresh machine with no WeChat account. With real
 * credentials (properties, {@code WECHAT_MINIAPP_APP_ID}/{@code WECHAT_MINIAPP_APP_SECRET}, a profile) it does
 * nothing and the app talks to WeChat.
 *
 * <p>The sandbox becomes the {@link SandboxMode} bean of the application context, which closes it when the
 * context closes.
 */
public class SandboxEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the sandbox's properties. */
	public static final String PROPERTY_SOURCE_NAME = "wechatMiniAppSandbox";

	/** Property holding the sandbox's base URL, for the simulator page; set only in sandbox mode. */
	public static final String BASE_URL_PROPERTY = "sample.sandbox.base-url";

	/** The sandbox's second mini program. */
	public static final String SECOND_APP_ID = "wx00000000000000b2";

	private static final String SECOND_APP_SECRET = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";

	/** Runs after the configuration files and profiles are loaded, so credentials in them are seen. */
	public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 10;

	private final Log logger;

	private final ConfigurableBootstrapContext bootstrapContext;

	public SandboxEnvironmentPostProcessor(DeferredLogFactory logFactory,
			ConfigurableBootstrapContext bootstrapContext) {
		this.logger = logFactory.getLog(SandboxEnvironmentPostProcessor.class);
		this.bootstrapContext = bootstrapContext;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (StringUtils.hasText(environment.getProperty("wechat.miniapp.app-id"))
				|| !environment.getProperty("wechat.miniapp.enabled", Boolean.class, true)
				|| environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			return;
		}
		// A second mini program beside the default one, so the simulator can show one backend serving two apps.
		WeChatSandbox sandbox = WeChatSandbox.builder().app(SECOND_APP_ID, SECOND_APP_SECRET).start();
		Map<String, Object> properties = new LinkedHashMap<>(sandbox.springProperties());
		properties.put("wechat.miniapp.apps.second.app-id", SECOND_APP_ID);
		properties.put("wechat.miniapp.apps.second.app-secret", SECOND_APP_SECRET);
		properties.put(BASE_URL_PROPERTY, sandbox.baseUrl());
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		this.bootstrapContext.addCloseListener((event) -> {
			RootBeanDefinition definition = new RootBeanDefinition(SandboxMode.class, () -> new SandboxMode(sandbox));
			definition.setDestroyMethodName(AbstractBeanDefinition.INFER_METHOD);
			((BeanDefinitionRegistry) event.getApplicationContext().getBeanFactory())
				.registerBeanDefinition("weChatSandboxMode", definition);
		});
		this.logger.warn("SANDBOX MODE: wechat.miniapp.app-id is not set, so this app talks to an embedded fake "
				+ "WeChat at " + sandbox.baseUrl() + " with made-up users (open the simulator at /). "
				+ "Set WECHAT_MINIAPP_APP_ID and WECHAT_MINIAPP_APP_SECRET to use the real WeChat.");
	}

}
