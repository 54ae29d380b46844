package io.github.wechatminiapp.security;

import io.github.wechatminiapp.apps.MiniApp;
import io.github.wechatminiapp.apps.MiniAppReferer;
import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.apps.UnknownMiniAppException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Chooses the {@link MiniApp} a request belongs to, for a login the app whose
 * {@code jscode2session} exchanges the code. Routing, not authentication: any client can
 * send any header, and a code exchanged with the wrong app simply fails at WeChat.
 */
@FunctionalInterface
public interface MiniAppResolver {

	/**
	 * The app of the request.
	 * @param request the request
	 * @return the app
	 * @throws io.github.wechatminiapp.InvalidInputException if the request names no known
	 * app (answered 400)
	 */
	MiniApp resolve(HttpServletRequest request);

	/**
	 * Always the same app: the single-app case.
	 * @param app the app
	 * @return a resolver that answers it for every request
	 */
	static MiniAppResolver of(MiniApp app) {
		Assert.notNull(app, "app must not be null");
		return (request) -> app;
	}

	/**
	 * The app the {@code Referer} WeChat puts on a mini program's requests names
	 * ({@code https://servicewechat.com/{appid}/...}), else the one app: the fallback,
	 * when there is one.
	 * @param apps every app
	 * @param fallbackAppId the app used when the request names none: the one configured
	 * app, or {@code null} for none, so that such requests are refused
	 * @return the resolver
	 */
	static MiniAppResolver byReferer(MiniApps apps, @Nullable String fallbackAppId) {
		Assert.notNull(apps, "apps must not be null");
		return (request) -> {
			String appId = MiniAppReferer.appId(request.getHeader("Referer")).orElse(fallbackAppId);
			if (appId == null) {
				throw new UnknownMiniAppException("The request names no mini program (Referer)");
			}
			return apps.app(appId);
		};
	}

}
