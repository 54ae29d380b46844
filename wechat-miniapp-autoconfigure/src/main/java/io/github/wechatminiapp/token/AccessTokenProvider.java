package io.github.wechatminiapp.token;

import java.util.function.Function;

import io.github.wechatminiapp.client.WeChatApiException;

/**
 * Hands out the app's access token, fetching it from WeChat only when needed.
 * {@link #execute(Function)} calls any WeChat server API with it: for example
 * {@code accessTokens.execute((token) -> client.postForJson(
 * "/wxa/getwxacodeunlimit", token, request, byte[].class))}.
 */
public interface AccessTokenProvider {

	/**
	 * A token valid now.
	 * @return the access token
	 */
	String getAccessToken();

	/**
	 * Tells the provider WeChat rejected a token (40001, 40014 or 42001), so the next
	 * call fetches a new one. A token that is no longer the cached one is ignored, so a
	 * late report cannot evict a fresh token.
	 * @param rejectedToken the token WeChat rejected
	 */
	void invalidate(String rejectedToken);

	/**
	 * Runs a call that needs the token; when WeChat rejects the token (40001, 40014 or
	 * 42001), fetches a new one and runs the call once more.
	 * @param <T> what the call returns
	 * @param call the call, given the token
	 * @return what the call returns
	 */
	default <T> T execute(Function<String, T> call) {
		String token = getAccessToken();
		try {
			return call.apply(token);
		}
		catch (WeChatApiException ex) {
			if (ex.category() != WeChatApiException.Category.TOKEN) {
				throw ex;
			}
			invalidate(token);
			return call.apply(getAccessToken());
		}
	}

}
