package io.github.wechatminiapp.autoconfigure;

import io.github.wechatminiapp.apps.MiniAppCredentialsRepository;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Explains a startup without any mini program: thrown by the auto-configuration as
 * {@link NoMiniAppConfiguredException}, or met first as a missing bean of this starter
 * (an application bean injecting {@code PhoneNumberService}, say, is created before the
 * starter's). Ordered first, so that the missing bean is explained by what to set rather
 * than by the conditions that did not match.
 */
final class NoMiniAppConfiguredFailureAnalyzer implements FailureAnalyzer, Ordered {

	static final String DESCRIPTION = "No WeChat mini program is configured: wechat.miniapp.app-id is not set, "
			+ "nor any wechat.miniapp.apps.<name>.app-id, and there is no MiniAppCredentialsRepository bean.";

	static final String ACTION = "Set wechat.miniapp.app-id and wechat.miniapp.app-secret (environment variables "
			+ "WECHAT_MINIAPP_APP_ID and WECHAT_MINIAPP_APP_SECRET) to your mini program's app id and secret; or, for "
			+ "several mini programs, wechat.miniapp.apps.<name>.app-id and .app-secret; or define a "
			+ "MiniAppCredentialsRepository bean. To run without the starter, set wechat.miniapp.enabled=false.";

	private static final String BASE_PACKAGE = "io.github.wechatminiapp.";

	private final Environment environment;

	private final BeanFactory beanFactory;

	NoMiniAppConfiguredFailureAnalyzer(Environment environment, BeanFactory beanFactory) {
		this.environment = environment;
		this.beanFactory = beanFactory;
	}

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof NoMiniAppConfiguredException) {
				return new FailureAnalysis(DESCRIPTION, ACTION, cause);
			}
			if (cause instanceof NoSuchBeanDefinitionException missing && isStarterType(missing) && noAppAnywhere()) {
				return new FailureAnalysis(DESCRIPTION, ACTION, cause);
			}
		}
		return null;
	}

	private static boolean isStarterType(NoSuchBeanDefinitionException missing) {
		Class<?> type = missing.getBeanType();
		return type != null && type.getName().startsWith(BASE_PACKAGE);
	}

	private boolean noAppAnywhere() {
		if (!this.environment.getProperty("wechat.miniapp.enabled", Boolean.class, true)) {
			return false;
		}
		if (OnMiniAppPropertiesCondition.configuredApps(Binder.get(this.environment)) > 0) {
			return false;
		}
		// Without apps in the properties, the only repository can be the application's
		// own.
		return !(this.beanFactory instanceof ListableBeanFactory beans)
				|| beans.getBeanNamesForType(MiniAppCredentialsRepository.class, true, false).length == 0;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
