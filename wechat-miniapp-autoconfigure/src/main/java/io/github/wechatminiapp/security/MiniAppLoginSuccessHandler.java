package io.github.wechatminiapp.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.wechatminiapp.RetryLaterException;
import io.github.wechatminiapp.web.MiniAppErrorStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.util.Assert;

/**
 * The default answer to a successful login: issues a bearer token through the
 * {@link MiniAppBearerTokenService} and answers {@code {"token","expiresIn","openid"}}; a
 * token store that fails is answered 503. An application answering otherwise can wrap it,
 * or call {@link MiniAppBearerTokenService#issue} itself.
 */
public final class MiniAppLoginSuccessHandler implements AuthenticationSuccessHandler {

	private static final Log logger = LogFactory.getLog(MiniAppLoginSuccessHandler.class);

	private final MiniAppBearerTokenService tokenService;

	/**
	 * Creates the handler.
	 * @param tokenService issues the tokens
	 */
	public MiniAppLoginSuccessHandler(MiniAppBearerTokenService tokenService) {
		Assert.notNull(tokenService, "tokenService must not be null");
		this.tokenService = tokenService;
	}

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws IOException {
		MiniAppPrincipal principal = (MiniAppPrincipal) authentication.getPrincipal();
		MiniAppBearerToken token;
		try {
			token = this.tokenService.issue(principal, authentication.getAuthorities());
		}
		catch (RetryLaterException ex) {
			logger.warn("Login failed: " + ex.getMessage());
			MiniAppErrors.write(request, response, MiniAppErrorStatus.of(ex));
			return;
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("token", token.value());
		body.put("expiresIn", token.expiresIn().toSeconds());
		body.put("openid", principal.openid());
		MiniAppErrors.writeJson(response, HttpServletResponse.SC_OK, body);
	}

}
