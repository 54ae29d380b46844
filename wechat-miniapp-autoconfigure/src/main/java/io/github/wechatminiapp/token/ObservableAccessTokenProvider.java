package io.github.wechatminiapp.token;

/**
 * An {@link AccessTokenProvider} that tells its state without calling WeChat, for health
 * checks.
 */
public interface ObservableAccessTokenProvider extends AccessTokenProvider {

	/**
	 * The state of the token now, from the provider's memory and its store alone.
	 * @return the status
	 * @throws io.github.wechatminiapp.StoreAccessException when the store cannot be read
	 */
	AccessTokenStatus status();

}
