package io.github.wechatminiapp.test;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.test.context.support.WithSecurityContextFactory;

/**
 * The security context of {@link WithMockMiniAppUser}.
 */
final class WithMockMiniAppUserSecurityContextFactory implements WithSecurityContextFactory<WithMockMiniAppUser> {

	@Override
	public SecurityContext createSecurityContext(WithMockMiniAppUser user) {
		SecurityContext context = SecurityContextHolder.getContextHolderStrategy().createEmptyContext();
		context.setAuthentication(MiniAppAuthentications.authenticated(user.appId(), user.openid(),
				user.unionid().isEmpty() ? null : user.unionid(), user.roles()));
		return context;
	}

}
