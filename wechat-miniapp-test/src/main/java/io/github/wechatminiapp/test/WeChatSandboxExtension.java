package io.github.wechatminiapp.test;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs a {@link WeChatSandbox} for the tests of a class and closes it after them.
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static final WeChatSandboxExtension SANDBOX = new WeChatSandboxExtension();
 *
 * &#64;DynamicPropertySource
 * static void wechat(DynamicPropertyRegistry registry) {
 *     SANDBOX.sandbox().springProperties().forEach((name, value) -&gt; registry.add(name, () -&gt; value));
 * }
 * </pre>
 *
 * <p>
 * Register it in a {@code static} field: JUnit calls class-level callbacks only on static
 * extensions. The sandbox starts on the first call of {@link #sandbox()}, which may come
 * before {@code beforeAll} (Spring can resolve {@code @DynamicPropertySource} first), or
 * at the latest in {@code beforeAll}. Test and lifecycle methods can also declare a
 * {@link WeChatSandbox} parameter. {@code @Nested} classes share their outer class's
 * sandbox.
 */
public final class WeChatSandboxExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	private final WeChatSandbox.Builder builder;

	private @Nullable WeChatSandbox sandbox;

	private @Nullable Class<?> owner;

	/**
	 * An extension for a sandbox with the default app id and secret.
	 */
	public WeChatSandboxExtension() {
		this(WeChatSandbox.builder());
	}

	/**
	 * An extension for a sandbox of the given app.
	 * @param appId the app id the sandbox accepts
	 * @param appSecret the app secret the sandbox accepts
	 */
	public WeChatSandboxExtension(String appId, String appSecret) {
		this(WeChatSandbox.builder().appId(appId).appSecret(appSecret));
	}

	/**
	 * An extension for a sandbox configured by a builder, for instance with a test clock.
	 * @param builder the configuration, started when the sandbox is first needed
	 */
	public WeChatSandboxExtension(WeChatSandbox.Builder builder) {
		this.builder = Objects.requireNonNull(builder, "builder");
	}

	/**
	 * The sandbox, started on first call.
	 * @return the running sandbox
	 */
	public synchronized WeChatSandbox sandbox() {
		if (this.sandbox == null) {
			this.sandbox = this.builder.start();
		}
		return this.sandbox;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		beforeAll(context.getRequiredTestClass());
	}

	@Override
	public void afterAll(ExtensionContext context) {
		afterAll(context.getRequiredTestClass());
	}

	synchronized void beforeAll(Class<?> testClass) {
		// The first class to start is the owner: @Nested classes inherit the extension
		// and must neither start
		// a second sandbox nor close the one their outer class still uses.
		if (this.owner == null) {
			this.owner = testClass;
		}
		sandbox();
	}

	synchronized void afterAll(Class<?> testClass) {
		if (this.owner != null && this.owner != testClass) {
			return;
		}
		this.owner = null;
		if (this.sandbox != null) {
			this.sandbox.close();
			this.sandbox = null;
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == WeChatSandbox.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return sandbox();
	}

}
