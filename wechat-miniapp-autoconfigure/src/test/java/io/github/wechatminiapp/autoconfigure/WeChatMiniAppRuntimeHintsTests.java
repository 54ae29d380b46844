package io.github.wechatminiapp.autoconfigure;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import io.github.wechatminiapp.phone.MiniAppLogin;
import io.github.wechatminiapp.phone.PhoneNumber;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

import static org.assertj.core.api.Assertions.assertThat;

class WeChatMiniAppRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	WeChatMiniAppRuntimeHintsTests() {
		new WeChatMiniAppRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void isRegisteredInAotFactories() {
		assertThat(AotServices.factories(getClass().getClassLoader()).load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(WeChatMiniAppRuntimeHints.class);
	}

	@Test
	void theRecordsApplicationsSerializeAreBoundByReflection() throws Exception {
		for (String accessor : List.of("phoneNumber", "purePhoneNumber", "countryCode")) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PhoneNumber.class, accessor)).as(accessor)
				.accepts(this.hints)
				.rejects(new RuntimeHints());
		}
		for (String accessor : List.of("openid", "unionid")) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(MiniAppLogin.class, accessor))
				.as(accessor)
				.accepts(this.hints);
		}
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(
					PhoneNumber.class.getDeclaredConstructor(String.class, String.class, String.class)))
			.accepts(this.hints);
	}

	@Test
	void theClassesCaffeineGeneratesForTheSessionKeyStoreAreRegistered() throws Exception {
		Cache<?, ?> cache = (Cache<?, ?>) read(new CaffeineSessionKeyRepository(Duration.ofDays(3), 100_000), "cache");
		Object boundedCache = cache.asMap();
		Object node = read(boundedCache, "nodeFactory");
		List<String> cacheClasses = generatedClasses(boundedCache.getClass(), "BoundedLocalCache");
		List<String> nodeClasses = generatedClasses(node.getClass(), "Node");
		// What the store really builds, so a change of the store or of Caffeine shows
		// here.
		assertThat(cacheClasses).containsExactlyElementsOf(WeChatMiniAppRuntimeHints.CAFFEINE_CACHE_CLASSES);
		assertThat(nodeClasses).containsExactlyElementsOf(WeChatMiniAppRuntimeHints.CAFFEINE_NODE_CLASSES);
		List<String> all = new ArrayList<>(cacheClasses);
		all.addAll(nodeClasses);
		for (String name : all) {
			assertThat(RuntimeHintsPredicates.reflection()
				.onType(TypeReference.of(name))
				.withMemberCategories(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
						MemberCategory.ACCESS_DECLARED_FIELDS))
				.as(name)
				.accepts(this.hints)
				.rejects(new RuntimeHints());
		}
	}

	/** The class and its superclasses, up to the named Caffeine base class (excluded). */
	private static List<String> generatedClasses(Class<?> type, String base) {
		List<String> names = new ArrayList<>();
		for (Class<?> current = type; !current.getSimpleName().equals(base); current = current.getSuperclass()) {
			names.add(current.getName());
		}
		return names;
	}

	private static Object read(Object target, String name) throws ReflectiveOperationException {
		for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
			try {
				Field field = type.getDeclaredField(name);
				field.setAccessible(true);
				return field.get(target);
			}
			catch (NoSuchFieldException ex) {
				// declared further up
			}
		}
		throw new NoSuchFieldException(name);
	}

}
