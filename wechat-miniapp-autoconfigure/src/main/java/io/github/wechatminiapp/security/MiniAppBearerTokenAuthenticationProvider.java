package io.github.wechatminiapp.security;

import io.github.wechatminiapp.RetryLaterException;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * Authenticates a {@link MiniAppBearerTokenAuthenticationToken} through the
 * {@link MiniAppBearerTokenService}: an invalid token is a
 * {@link BadCredentialsException}, a failing token store an
 * {@link AuthenticationServiceException} with the store's exception as cause (answered
 * 503, never authenticated).
 */
final class MiniAppBearerTokenAuthenticationProvider implements AuthenticationProvider {

	private final MiniAppBearerTokenService tokenService;

	MiniAppBearerTokenAuthenticationProvider(MiniAppBearerTokenService tokenService) {
		this.tokenService = tokenService;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String token = ((MiniAppBearerTokenAuthenticationToken) authentication).token();
		try {
			return this.tokenService.authenticate(token)
				.orElseThrow(() -> new BadCredentialsException("Invalid bearer token"));
		}
		catch (RetryLaterException ex) {
			throw new AuthenticationServiceException("Bearer token not checked", ex);
		}
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return MiniAppBearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
