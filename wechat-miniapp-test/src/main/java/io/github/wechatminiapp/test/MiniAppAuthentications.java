package io.github.wechatminiapp.test;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Collection;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * Builds the starter's {@code MiniAppAuthenticationToken} of a user. By name, not by
 * import: this module is built before the starter (whose own tests run on the sandbox),
 * so it cannot depend on it; an application's tests have both on the class path.
 */
final class MiniAppAuthentications {

	private static final String PRINCIPAL = "io.github.wechatminiapp.security.MiniAppPrincipal";

	private static final String TOKEN = "io.github.wechatminiapp.security.MiniAppAuthenticationToken";

	private MiniAppAuthentications() {
	}

	static Authentication authenticated(String appId, String openid, String unionid, String... roles) {
		ClassLoader loader = MiniAppAuthentications.class.getClassLoader();
		Collection<GrantedAuthority> authorities = AuthorityUtils
			.createAuthorityList(Arrays.stream(roles).map((role) -> "ROLE_" + role).toList());
		try {
			Class<?> principalType = Class.forName(PRINCIPAL, true, loader);
			Object principal = principalType.getConstructor(String.class, String.class, String.class)
				.newInstance(appId, openid, unionid);
			Constructor<?> token = Class.forName(TOKEN, true, loader).getConstructor(principalType, Collection.class);
			return (Authentication) token.newInstance(principal, authorities);
		}
		catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException | InstantiationException ex) {
			throw new IllegalStateException("A mock mini program user needs the wechat-miniapp-spring-boot-starter "
					+ "(with Spring Security) on the test class path", ex);
		}
		catch (InvocationTargetException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
		}
	}

}
