package io.github.wechatminiapp.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.apps.MiniApp;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.phone.MiniAppLogin;
import io.github.wechatminiapp.web.MiniAppErrorStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Authenticates a {@link MiniAppLoginAuthenticationToken}: exchanges the code with the
 * app's {@code jscode2session} (which keeps the session key server-side) and lets the
 * {@link MiniAppUserService} grant authorities. WeChat refusing the code is a
 * {@link BadCredentialsException}, anything else that fails an
 * {@link AuthenticationServiceException}, each with the starter's exception as cause, so
 * that Spring Security's failure events are published and the failure handler finds the
 * answer. After WeChat's frequency limit (45011), no code of that app is sent to WeChat
 * until the limit's wait is over.
 */
final class MiniAppLoginAuthenticationProvider implements AuthenticationProvider {

	private static final Log logger = LogFactory.getLog(MiniAppLoginAuthenticationProvider.class);

	private final MiniAppUserService userService;

	private final Clock clock;

	private final Map<String, Instant> frequencyLimitedUntil = new ConcurrentHashMap<>();

	MiniAppLoginAuthenticationProvider(MiniAppUserService userService, Clock clock) {
		this.userService = userService;
		this.clock = clock;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		MiniAppLoginAuthenticationToken login = (MiniAppLoginAuthenticationToken) authentication;
		MiniApp app = login.app();
		Instant limitedUntil = this.frequencyLimitedUntil.get(app.appId());
		Instant now = this.clock.instant();
		if (limitedUntil != null) {
			if (now.isBefore(limitedUntil)) {
				throw new MiniAppLoginException(MiniAppErrorStatus.of(429, "rate_limited",
						"Too many logins: wait and try again", Duration.between(now, limitedUntil)));
			}
			this.frequencyLimitedUntil.remove(app.appId(), limitedUntil);
		}
		MiniAppLogin result;
		try {
			result = app.phoneNumbers().login(login.getCredentials());
		}
		catch (WeChatMiniAppException ex) {
			throw refused(app, ex);
		}
		MiniAppPrincipal principal = new MiniAppPrincipal(app.appId(), result.openid(), result.unionid());
		Collection<? extends GrantedAuthority> authorities = this.userService.onLogin(principal);
		return new MiniAppAuthenticationToken(principal, authorities);
	}

	private RuntimeException refused(MiniApp app, WeChatMiniAppException ex) {
		if (MiniAppErrorStatus.isFrequencyLimit(ex)) {
			this.frequencyLimitedUntil.put(app.appId(),
					this.clock.instant().plus(MiniAppErrorStatus.FREQUENCY_LIMIT_RETRY_AFTER));
		}
		MiniAppErrorStatus status = MiniAppErrorStatus.ofLogin(ex);
		if (ex instanceof WeChatApiException refusal) {
			// The API, the errcode and the rid WeChat's support asks for, never the code
			// (WeChat's errmsg is in the
			// client's own line).
			String rid = ", rid=" + refusal.rid().orElse("none");
			if (status.status() >= 500) {
				logger.warn("WeChat refused a login with errcode " + refusal.errcode() + rid);
			}
			else {
				logger.info("WeChat " + refusal.api().apiName() + " answered errcode " + refusal.errcode()
						+ " to a login" + rid);
			}
		}
		else if (status.status() >= 500) {
			// The starter's message names the API and the failure, never the URL with the
			// secret.
			logger.warn("Login failed: " + ex.getMessage());
		}
		if (status.status() < 500 && (ex instanceof WeChatApiException || ex instanceof InvalidInputException)) {
			return new BadCredentialsException(status.detail(), ex);
		}
		return new AuthenticationServiceException(status.detail(), ex);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return MiniAppLoginAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
