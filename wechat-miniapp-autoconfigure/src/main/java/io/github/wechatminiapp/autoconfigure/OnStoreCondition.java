package io.github.wechatminiapp.autoconfigure;

import java.util.Locale;

import io.github.wechatminiapp.autoconfigure.WeChatMiniAppProperties.StoreType;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches the store that {@link WeChatMiniAppProperties#getStore()} names:
 * {@code wechat.miniapp.store}, else the deprecated {@code session.store} and
 * {@code access-token.store}, else memory. Read from the environment with the same
 * precedence, so beans chosen by a condition and the stores built from the properties
 * always agree.
 */
abstract class OnStoreCondition extends SpringBootCondition {

	static StoreType configuredStore(Binder binder) {
		String store = binder.bind("wechat.miniapp.store", String.class).orElse(null);
		if (store != null) {
			return parse(store);
		}
		String session = binder.bind("wechat.miniapp.session.store", String.class).orElse(null);
		if (session != null) {
			return "redis".equalsIgnoreCase(session.trim()) ? StoreType.REDIS : StoreType.MEMORY;
		}
		String accessToken = binder.bind("wechat.miniapp.access-token.store", String.class).orElse(null);
		return (accessToken != null) ? parse(accessToken) : StoreType.MEMORY;
	}

	private static StoreType parse(String value) {
		return "redis".equals(value.trim().toLowerCase(Locale.ROOT)) ? StoreType.REDIS : StoreType.MEMORY;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		StoreType store = configuredStore(Binder.get(context.getEnvironment()));
		String message = "wechat.miniapp.store is " + store.name().toLowerCase(Locale.ROOT);
		return (store == wanted()) ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
	}

	abstract StoreType wanted();

	/** The state lives in this JVM. */
	static final class Memory extends OnStoreCondition {

		@Override
		StoreType wanted() {
			return StoreType.MEMORY;
		}

	}

	/** The state is shared through Redis. */
	static final class Redis extends OnStoreCondition {

		@Override
		StoreType wanted() {
			return StoreType.REDIS;
		}

	}

}
