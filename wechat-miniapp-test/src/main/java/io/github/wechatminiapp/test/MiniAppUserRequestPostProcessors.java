package io.github.wechatminiapp.test;

import org.jspecify.annotations.Nullable;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * MockMvc requests as a logged-in mini program user, as Spring Security's {@code jwt()}
 * does for a JWT: <pre class="code">
 * mvc.perform(get("/api/me").with(miniAppUser().openid("o-alice")))
 * </pre> The request carries the starter's {@code MiniAppAuthenticationToken} in request
 * attributes (where the starter's bearer filter keeps it), so it goes through the
 * application's security filter chain without a token, a login or WeChat.
 */
public final class MiniAppUserRequestPostProcessors {

	private MiniAppUserRequestPostProcessors() {
	}

	/**
	 * A request of the default mock user ({@code o-mock-user} of
	 * {@code wx0123456789abcdef}, role {@code USER}).
	 * @return the post-processor, to refine
	 */
	public static MiniAppUser miniAppUser() {
		return new MiniAppUser();
	}

	/**
	 * The mock user of a request.
	 */
	public static final class MiniAppUser implements RequestPostProcessor {

		private String appId = "wx0123456789abcdef";

		private String openid = "o-mock-user";

		private @Nullable String unionid;

		private String[] roles = { "USER" };

		private MiniAppUser() {
		}

		/**
		 * The user's app.
		 * @param appId the app id
		 * @return this
		 */
		public MiniAppUser appId(String appId) {
			this.appId = appId;
			return this;
		}

		/**
		 * The user's openid.
		 * @param openid the openid
		 * @return this
		 */
		public MiniAppUser openid(String openid) {
			this.openid = openid;
			return this;
		}

		/**
		 * The user's unionid.
		 * @param unionid the unionid, or {@code null}
		 * @return this
		 */
		public MiniAppUser unionid(@Nullable String unionid) {
			this.unionid = unionid;
			return this;
		}

		/**
		 * The user's roles, each granted as {@code ROLE_<role>}.
		 * @param roles the roles
		 * @return this
		 */
		public MiniAppUser roles(String... roles) {
			this.roles = roles.clone();
			return this;
		}

		@Override
		public MockHttpServletRequest postProcessRequest(MockHttpServletRequest request) {
			SecurityContext context = SecurityContextHolder.getContextHolderStrategy().createEmptyContext();
			context.setAuthentication(
					MiniAppAuthentications.authenticated(this.appId, this.openid, this.unionid, this.roles));
			new RequestAttributeSecurityContextRepository().saveContext(context, request, null);
			return request;
		}

	}

}
