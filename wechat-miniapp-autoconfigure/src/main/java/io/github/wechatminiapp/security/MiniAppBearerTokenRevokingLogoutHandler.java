package io.github.wechatminiapp.security;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.github.wechatminiapp.RetryLaterException;
import io.github.wechatminiapp.web.MiniAppErrorStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.security.web.authentication.logout.LogoutSuccessHandler;

/**
 * Revokes the bearer token a logout request was authenticated with. A token store that
 * fails is answered 503 at once; the success handler then leaves the committed answer
 * alone. Also the logout's success handler: 204.
 */
final class MiniAppBearerTokenRevokingLogoutHandler implements LogoutHandler, LogoutSuccessHandler {

	private static final Log logger = LogFactory.getLog(MiniAppBearerTokenRevokingLogoutHandler.class);

	private final MiniAppBearerTokenService tokenService;

	MiniAppBearerTokenRevokingLogoutHandler(MiniAppBearerTokenService tokenService) {
		this.tokenService = tokenService;
	}

	@Override
	public void logout(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
		Object token = request.getAttribute(MiniAppBearerTokenAuthenticationFilter.TOKEN_ATTRIBUTE);
		if (!(token instanceof String bearer)) {
			return;
		}
		try {
			this.tokenService.revoke(bearer);
		}
		catch (RetryLaterException ex) {
			logger.warn("Bearer token not revoked: " + ex.getMessage());
			try {
				MiniAppErrors.write(request, response, MiniAppErrorStatus.of(ex));
			}
			catch (IOException io) {
				throw new UncheckedIOException(io);
			}
		}
	}

	@Override
	public void onLogoutSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) {
		if (!response.isCommitted()) {
			response.setStatus(HttpServletResponse.SC_NO_CONTENT);
		}
	}

}
