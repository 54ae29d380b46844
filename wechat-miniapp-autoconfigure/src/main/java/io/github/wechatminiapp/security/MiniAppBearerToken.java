package io.github.wechatminiapp.security;

import java.time.Duration;

/**
 * A bearer token just issued, for the login answer. {@link #toString()} never shows the
 * token.
 *
 * @param value the token to send as {@code Authorization: Bearer <value>}
 * @param expiresIn how long the token is valid if not used
 */
public record MiniAppBearerToken(String value, Duration expiresIn) {

	@Override
	public String toString() {
		return "MiniAppBearerToken[value=******, expiresIn=" + this.expiresIn + "]";
	}

}
