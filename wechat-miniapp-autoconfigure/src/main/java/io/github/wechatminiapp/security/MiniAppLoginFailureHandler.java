package io.github.wechatminiapp.security;

import java.io.IOException;

import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.web.MiniAppErrorStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * The default answer to a failed login: the status, error code and {@code Retry-After} of
 * {@link MiniAppErrorStatus} for the starter's exceptions
 * ({@link MiniAppErrorStatus#ofLogin}), of the {@link MiniAppLoginException} for a
 * request refused unread, and 401 {@code login_refused} when the
 * {@link MiniAppUserService} refused the user.
 */
final class MiniAppLoginFailureHandler implements AuthenticationFailureHandler {

	static final MiniAppErrorStatus LOGIN_REFUSED = MiniAppErrorStatus.of(401, "login_refused",
			"This user may not log in", null);

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		MiniAppErrors.write(request, response, errorStatus(exception));
	}

	static MiniAppErrorStatus errorStatus(AuthenticationException exception) {
		if (exception instanceof MiniAppLoginException refused) {
			return refused.errorStatus();
		}
		if (exception.getCause() instanceof WeChatMiniAppException cause) {
			return MiniAppErrorStatus.ofLogin(cause);
		}
		return LOGIN_REFUSED;
	}

}
