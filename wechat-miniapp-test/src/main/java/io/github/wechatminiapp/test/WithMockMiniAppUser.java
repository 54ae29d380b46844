package io.github.wechatminiapp.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.security.test.context.support.TestExecutionEvent;
import org.springframework.security.test.context.support.WithSecurityContext;

/**
 * Runs a test as a logged-in mini program user, as Spring Security's
 * {@code @WithMockUser} does for a username: the security context holds the starter's
 * {@code MiniAppAuthenticationToken}, so that
 * {@code @AuthenticationPrincipal MiniAppPrincipal user} is this user. No login, no
 * WeChat, no sandbox.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
@WithSecurityContext(factory = WithMockMiniAppUserSecurityContextFactory.class)
public @interface WithMockMiniAppUser {

	/**
	 * The mini program the user logged in to.
	 * @return the app id
	 */
	String appId() default "wx0123456789abcdef";

	/**
	 * The user's openid.
	 * @return the openid
	 */
	String openid() default "o-mock-user";

	/**
	 * The user's unionid; empty for none.
	 * @return the unionid
	 */
	String unionid() default "";

	/**
	 * The user's roles, each granted as {@code ROLE_<role>}.
	 * @return the roles
	 */
	String[] roles() default { "USER" };

	/**
	 * When the security context is set up, as for {@code @WithMockUser}.
	 * @return the event
	 */
	TestExecutionEvent setupBefore() default TestExecutionEvent.TEST_METHOD;

}
