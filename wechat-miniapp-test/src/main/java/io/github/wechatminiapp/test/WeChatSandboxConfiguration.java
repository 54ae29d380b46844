package io.github.wechatminiapp.test;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistrar;
import org.springframework.test.context.support.DynamicPropertyRegistrarBeanInitializer;

/**
 * Runs an application against a {@link WeChatSandbox} on loopback, the Spring Boot way: from a class in the
 * application's tests,
 * <pre class="code">
 * public static void main(String[] args) {
 *     SpringApplication.from(MyApplication::main).with(WeChatSandboxConfiguration.class).run(args);
 * }
 * </pre>
 * and {@code ./mvnw spring-boot:test-run}. The sandbox starts with the context and stops with it; its base URL, app
 * id and secret ({@link WeChatSandbox#springProperties()}) are registered by a {@link DynamicPropertyRegistrar}, so
 * they win over the application's own {@code wechat.miniapp.*} settings. Also usable as {@code @Import} in a test.
 */
@Configuration(proxyBeanMethods = false)
public class WeChatSandboxConfiguration {

	/**
	 * The sandbox, stopped with the context.
	 * @return a started sandbox
	 */
	@Bean(destroyMethod = "close")
	public WeChatSandbox weChatSandbox() {
		return WeChatSandbox.start();
	}

	/**
	 * The sandbox's properties for the application: {@code wechat.miniapp.api-base-url}, {@code app-id},
	 * {@code app-secret}.
	 * @param sandbox the sandbox
	 * @return the registrar
	 */
	@Bean
	public DynamicPropertyRegistrar weChatSandboxProperties(WeChatSandbox sandbox) {
		return (registry) -> sandbox.springProperties().forEach((name, value) -> registry.add(name, () -> value));
	}

	/**
	 * Outside Spring's test framework nothing applies {@link DynamicPropertyRegistrar} beans: registers the
	 * framework's own initializer, unless a test context did already.
	 * @return the post-processor
	 */
	@Bean
	static BeanDefinitionRegistryPostProcessor weChatSandboxDynamicPropertiesSupport() {
		return (BeanDefinitionRegistry registry) -> {
			boolean present = false;
			for (String name : registry.getBeanDefinitionNames()) {
				if (DynamicPropertyRegistrarBeanInitializer.class.getName()
					.equals(registry.getBeanDefinition(name).getBeanClassName())) {
					present = true;
				}
			}
			if (!present) {
				registry.registerBeanDefinition(DynamicPropertyRegistrarBeanInitializer.class.getName(),
						new RootBeanDefinition(DynamicPropertyRegistrarBeanInitializer.class));
			}
		};
	}

}
