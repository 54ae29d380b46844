package io.github.wechatminiapp.sample;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Lets a request through only with a session made by {@code POST /api/login}, and hands the handler the openid
 * kept in it. Runs before the body is read, so an unauthenticated request gets 401 whatever it sends.
 */
class LoggedInUserInterceptor implements HandlerInterceptor {

	/** Session attribute: the openid of the logged-in user. */
	static final String OPENID = "wechat.openid";

	/** Request attribute: the openid, for {@code @RequestAttribute}. */
	static final String CURRENT_OPENID = "io.github.wechatminiapp.sample.openid";

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod)) {
			return true; // static resources and unmapped paths: 404 as usual
		}
		HttpSession session = request.getSession(false);
		Object openid = (session != null) ? session.getAttribute(OPENID) : null;
		if (!(openid instanceof String value) || value.isEmpty()) {
			throw ApiRequestException.unauthorized();
		}
		request.setAttribute(CURRENT_OPENID, value);
		return true;
	}

}
