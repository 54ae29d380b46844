package io.github.wechatminiapp.security;

import java.io.Serializable;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The logged-in mini program user, as
 * {@code @AuthenticationPrincipal MiniAppPrincipal user} gives it.
 *
 * @param appId the mini program the user logged in to
 * @param openid the user's openid in that mini program
 * @param unionid the user's unionid, or {@code null} when WeChat gave none
 */
public record MiniAppPrincipal(String appId, String openid, @Nullable String unionid) implements Serializable {

	public MiniAppPrincipal {
		Assert.hasText(appId, "appId must not be empty");
		Assert.hasText(openid, "openid must not be empty");
	}

}
