package io.github.wechatminiapp.test;

import java.util.LinkedHashMap;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Runs an application against a {@link WeChatSandbox} on loopback, the Spring Boot way:
 * from a class in the application's tests, <pre class="code">
 * public static void main(String[] args) {
 *     SpringApplication.from(MyApplication::main).with(WeChatSandboxConfiguration.class).run(args);
 * }
 * </pre> and {@code ./mvnw spring-boot:test-run}. The sandbox starts with the context and
 * stops with it; its base URL, app id and secret
 * ({@link WeChatSandbox#springProperties()}) come first among the property sources, so
 * they win over the application's own {@code wechat.miniapp.*} settings. Also usable as
 * {@code @Import} in a test.
 * <p>
 * The properties are registered while the configuration is read, not by a
 * {@code DynamicPropertyRegistrar}: the starter's single-app beans exist by a condition
 * on {@code wechat.miniapp.app-id}, and conditions are evaluated before a registrar's
 * properties would be applied.
 */
@Configuration(proxyBeanMethods = false)
@Import(WeChatSandboxConfiguration.SandboxRegistrar.class)
public class WeChatSandboxConfiguration {

	/** The name of the sandbox bean. */
	public static final String SANDBOX_BEAN_NAME = "weChatSandbox";

	/** The name of the property source holding the sandbox's properties. */
	public static final String PROPERTY_SOURCE_NAME = "weChatSandbox";

	static final class SandboxRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

		private ConfigurableEnvironment environment;

		@Override
		public void setEnvironment(Environment environment) {
			this.environment = (ConfigurableEnvironment) environment;
		}

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			if (registry.containsBeanDefinition(SANDBOX_BEAN_NAME)) {
				return;
			}
			WeChatSandbox sandbox = WeChatSandbox.start();
			this.environment.getPropertySources()
				.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, new LinkedHashMap<>(sandbox.springProperties())));
			RootBeanDefinition definition = new RootBeanDefinition(WeChatSandbox.class, () -> sandbox);
			definition.setDestroyMethodName("close");
			registry.registerBeanDefinition(SANDBOX_BEAN_NAME, definition);
		}

	}

}
