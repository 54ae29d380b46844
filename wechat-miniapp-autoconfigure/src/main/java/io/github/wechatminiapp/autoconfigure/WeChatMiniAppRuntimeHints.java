package io.github.wechatminiapp.autoconfigure;

import java.util.List;

import io.github.wechatminiapp.phone.MiniAppLogin;
import io.github.wechatminiapp.phone.PhoneNumber;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What a native image of an application using the starter needs beyond what Spring's AOT
 * processing finds by itself: registered in {@code META-INF/spring/aot.factories}.
 * <ul>
 * <li>{@link PhoneNumber} and {@link MiniAppLogin}, which applications hand to Jackson as
 * they are (the README's controllers return them), bound by reflection;</li>
 * <li>the classes Caffeine generates for the in-memory session-key store's cache (strong
 * keys and values, maximum size, a custom expiry), which Caffeine loads by name and whose
 * fields it reaches through {@code VarHandle}s.</li>
 * </ul>
 * The starter reads no resources and runs no scripts from files; its Jackson use is
 * tree-based.
 */
public class WeChatMiniAppRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * The cache class of {@code CaffeineSessionKeyRepository} and its generated
	 * superclasses.
	 */
	static final List<String> CAFFEINE_CACHE_CLASSES = List.of("com.github.benmanes.caffeine.cache.SSMSA",
			"com.github.benmanes.caffeine.cache.SSMS", "com.github.benmanes.caffeine.cache.SS");

	/** The node class of that cache and its generated superclasses. */
	static final List<String> CAFFEINE_NODE_CLASSES = List.of("com.github.benmanes.caffeine.cache.PSWMS",
			"com.github.benmanes.caffeine.cache.PSW", "com.github.benmanes.caffeine.cache.PS");

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), PhoneNumber.class,
				MiniAppLogin.class);
		for (String name : CAFFEINE_CACHE_CLASSES) {
			caffeineClass(hints, name);
		}
		for (String name : CAFFEINE_NODE_CLASSES) {
			caffeineClass(hints, name);
		}
	}

	private static void caffeineClass(RuntimeHints hints, String name) {
		hints.reflection()
			.registerType(TypeReference.of(name), MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
					MemberCategory.ACCESS_DECLARED_FIELDS);
	}

}
