package io.github.wechatminiapp.phone;

import org.jspecify.annotations.Nullable;

/**
 * A logged-in mini program user. The session key stays on the server and is not part of
 * this.
 *
 * @param appId the app the user logged in to
 * @param openid the user's openid in this app
 * @param unionid the user's unionid across the Open Platform account, or {@code null}
 */
public record MiniAppLogin(String appId, String openid, @Nullable String unionid) {
}
