package io.github.wechatminiapp.sample.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.wechatminiapp.test.WeChatSandbox;
import org.apache.commons.logging.Log;

import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
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
import org.springframework.core.env.Profiles;
import org.springframework.util.StringUtils;

/**
 * Sandbox mode, on request only: with the {@value #PROFILE} profile active, starts a
 * {@link WeChatSandbox} on loopback and points the starter at it, so the app runs on a
 * fresh machine with no WeChat account. Without the profile it does nothing: the app
 * talks to WeChat, and a missing app id fails startup (naming
 * {@code wechat.miniapp.app-id}) instead of quietly turning into a fake WeChat in
 * production. The profile together with real credentials (properties,
 * {@code WECHAT_MINIAPP_APP_ID}/{@code WECHAT_MINIAPP_APP_SECRET}) is refused, since one
 * of the two is a mistake.
 *
 * <p>
 * The sandbox becomes the {@link SandboxMode} bean of the application context, which
 * closes it when the context closes.
 */
public class SandboxEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** The Spring profile that turns sandbox mode on. */
	public static final String PROFILE = "sandbox";

	/** Name of the property source holding the sandbox's properties. */
	public static final String PROPERTY_SOURCE_NAME = "wechatMiniAppSandbox";

	/**
	 * Property holding the sandbox's base URL, for the simulator page; set only in
	 * sandbox mode.
	 */
	public static final String BASE_URL_PROPERTY = "sample.sandbox.base-url";

	/** The sandbox's second mini program. */
	public static final String SECOND_APP_ID = "wx00000000000000b2";

	private static final String SECOND_APP_SECRET = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";

	/**
	 * Runs after the configuration files and profiles are loaded, so credentials in them
	 * are seen.
	 */
	public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 10;

	/** Set by Spring's AOT processor while it runs the app at build time. */
	private static final String AOT_PROCESSING = "spring.aot.processing";

	private static final List<String> CREDENTIALS = List.of("wechat.miniapp.app-id", "wechat.miniapp.app-secret");

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
		if (!environment.acceptsProfiles(Profiles.of(PROFILE))
				|| !environment.getProperty("wechat.miniapp.enabled", Boolean.class, true)
				|| environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			return;
		}
		for (String credential : CREDENTIALS) {
			if (StringUtils.hasText(environment.getProperty(credential))) {
				throw new IllegalStateException("The '" + PROFILE + "' profile runs this app against an embedded "
						+ "fake WeChat, but " + credential + " is set: drop the profile to use the real WeChat, or "
						+ "unset " + credential + " (WECHAT_MINIAPP_"
						+ credential.substring(15).replace('-', '_').toUpperCase(Locale.ROOT) + ") to use the sandbox");
			}
		}
		// A second mini program beside the default one, so the simulator can show one
		// backend serving two apps.
		WeChatSandbox sandbox = WeChatSandbox.builder().app(SECOND_APP_ID, SECOND_APP_SECRET).start();
		Map<String, Object> properties = new LinkedHashMap<>(sandbox.springProperties());
		properties.put("wechat.miniapp.apps.second.app-id", SECOND_APP_ID);
		properties.put("wechat.miniapp.apps.second.app-secret", SECOND_APP_SECRET);
		properties.put(BASE_URL_PROPERTY, sandbox.baseUrl());
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		if (Boolean.getBoolean(AOT_PROCESSING)) {
			// The build's process-aot needs the properties, to evaluate conditions, but
			// never calls the sandbox;
			// and it does not close the context, so a running sandbox would keep its JVM
			// alive.
			sandbox.close();
			return;
		}
		this.bootstrapContext.addCloseListener((event) -> {
			RootBeanDefinition definition = new RootBeanDefinition(SandboxMode.class, () -> new SandboxMode(sandbox));
			definition.setDestroyMethodName(AbstractBeanDefinition.INFER_METHOD);
			// Registered again at every start, AOT-optimized or not: the build's
			// process-aot has no code to emit.
			definition.setAttribute(BeanRegistrationAotProcessor.IGNORE_REGISTRATION_ATTRIBUTE, true);
			((BeanDefinitionRegistry) event.getApplicationContext().getBeanFactory())
				.registerBeanDefinition("weChatSandboxMode", definition);
		});
		this.logger.warn("SANDBOX MODE: the '" + PROFILE + "' profile is active, so this app talks to an embedded fake "
				+ "WeChat at " + sandbox.baseUrl() + " with made-up users (open the simulator at /). "
				+ "Drop the profile and set WECHAT_MINIAPP_APP_ID and WECHAT_MINIAPP_APP_SECRET to use the real WeChat.");
	}

}
