package io.github.wechatminiapp.client;

import java.time.Duration;

/**
 * An access token and how long WeChat says it stays valid.
 *
 * @param value the token, up to 512 characters; a secret
 * @param expiresIn the validity remaining when WeChat answered
 */
public record AccessToken(String value, Duration expiresIn) {

	@Override
	public String toString() {
		return "AccessToken[value=******, expiresIn=" + this.expiresIn + "]";
	}

}
