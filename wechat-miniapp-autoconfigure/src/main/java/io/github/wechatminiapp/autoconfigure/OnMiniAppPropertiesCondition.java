package io.github.wechatminiapp.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Counts the apps the properties configure, as
 * {@link WeChatMiniAppProperties#credentials()} does, before they are bound:
 * {@code wechat.miniapp.app-id} (or its secret alone, a mistake the properties then
 * report) and each entry of {@code wechat.miniapp.apps}.
 */
abstract class OnMiniAppPropertiesCondition extends SpringBootCondition {

	static int configuredApps(Binder binder) {
		boolean single = hasText(binder, "wechat.miniapp.app-id") || hasText(binder, "wechat.miniapp.app-secret");
		int apps = binder.bind("wechat.miniapp.apps", Bindable.mapOf(String.class, WeChatMiniAppProperties.App.class))
			.map(Map::size)
			.orElse(0);
		return (single ? 1 : 0) + apps;
	}

	private static boolean hasText(Binder binder, String name) {
		return !binder.bind(name, String.class).orElse("").isBlank();
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		int apps = configuredApps(Binder.get(context.getEnvironment()));
		return matches(apps) ? ConditionOutcome.match(apps + " apps configured in wechat.miniapp.*")
				: ConditionOutcome.noMatch(apps + " apps configured in wechat.miniapp.*");
	}

	abstract boolean matches(int apps);

	/** Exactly one app: the single-app beans are its services. */
	static final class OneApp extends OnMiniAppPropertiesCondition {

		@Override
		boolean matches(int apps) {
			return apps == 1;
		}

	}

	/** At least one app: the properties-backed repository has something to hold. */
	static final class AnyApp extends OnMiniAppPropertiesCondition {

		@Override
		boolean matches(int apps) {
			return apps > 0;
		}

	}

}
