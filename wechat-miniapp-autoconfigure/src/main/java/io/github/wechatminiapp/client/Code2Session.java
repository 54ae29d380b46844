package io.github.wechatminiapp.client;

import org.jspecify.annotations.Nullable;

/**
 * What jscode2session (and resetusersessionkey) answer.
 *
 * @param openid the user's openid in this app
 * @param unionid the user's unionid, or {@code null} when WeChat gives none
 * @param sessionKey the session key, Base64 as WeChat sent it; a secret that must stay on
 * the server
 */
public record Code2Session(String openid, @Nullable String unionid, String sessionKey) {

	@Override
	public String toString() {
		return "Code2Session[openid=" + this.openid + ", unionid=" + this.unionid + ", sessionKey=******]";
	}

}
