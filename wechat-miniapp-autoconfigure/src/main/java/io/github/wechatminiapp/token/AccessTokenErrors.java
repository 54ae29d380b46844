package io.github.wechatminiapp.token;

import java.util.Set;

import io.github.wechatminiapp.client.WeChatApiException;

/**
 * The errcodes by which WeChat rejects an access token, whichever API answers them.
 */
final class AccessTokenErrors {

	/**
	 * 40001 invalid credential, 40014 invalid access_token, 42001 access_token expired.
	 */
	private static final Set<Integer> TOKEN_REJECTED = Set.of(40001, 40014, 42001);

	private AccessTokenErrors() {
	}

	static boolean rejectsToken(WeChatApiException ex) {
		return TOKEN_REJECTED.contains(ex.errcode());
	}

}
