package io.github.wechatminiapp.autoconfigure;

import java.util.Map;

import io.github.wechatminiapp.apps.MiniAppCredentialsRepository;
import io.github.wechatminiapp.apps.MiniApps;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when there is a default app for the single-app beans: {@code wechat.miniapp.app-id}, or exactly one
 * entry of {@code wechat.miniapp.apps}; and when no app is configured at all (no {@code MiniAppCredentialsRepository}
 * or {@code MiniApps} bean either), so that startup fails naming {@code wechat.miniapp.app-id}. The same rule as {@link MiniAppServicesFactory#defaultApp()}.
 */
final class OnDefaultMiniAppCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Binder binder = Binder.get(context.getEnvironment());
		String appId = binder.bind("wechat.miniapp.app-id", String.class).orElse("");
		if (!appId.isBlank()) {
			return ConditionOutcome.match("wechat.miniapp.app-id is set");
		}
		// The secret alone is a mistake the properties report, naming app-id: keep the single-app beans for it.
		String appSecret = binder.bind("wechat.miniapp.app-secret", String.class).orElse("");
		if (!appSecret.isBlank()) {
			return ConditionOutcome.match("wechat.miniapp.app-secret is set");
		}
		int apps = binder.bind("wechat.miniapp.apps", Bindable.mapOf(String.class, WeChatMiniAppProperties.App.class))
			.map(Map::size)
			.orElse(0);
		if (apps == 1) {
			return ConditionOutcome.match("one app in wechat.miniapp.apps");
		}
		if (apps == 0 && !hasBean(context, MiniAppCredentialsRepository.class) && !hasBean(context, MiniApps.class)) {
			// No app anywhere, nor apps of the user's own: the single-app beans stay, so that whatever injects them
			// fails naming app-id rather than with a missing bean.
			return ConditionOutcome.match("no app configured at all");
		}
		return ConditionOutcome.noMatch(apps + " apps in wechat.miniapp.apps and no wechat.miniapp.app-id");
	}

	private static boolean hasBean(ConditionContext context, Class<?> type) {
		return context.getBeanFactory() != null
				&& context.getBeanFactory().getBeanNamesForType(type, true, false).length > 0;
	}

}
