package io.github.wechatminiapp;

/**
 * A store the starter keeps state in (session keys, the access token) could not be read
 * or written, for example because Redis is down or did not answer in time. The message
 * names the store and what it holds, never a key or a value.
 */
public class StoreAccessException extends RetryLaterException {

	private static final long serialVersionUID = 1L;

	private final String store;

	public StoreAccessException(String store, String holding, Throwable cause) {
		super("The " + store + " store of " + holding + " failed: " + cause.getClass().getSimpleName(),
				DEFAULT_RETRY_AFTER, cause);
		this.store = store;
	}

	/**
	 * The store that failed, such as {@code redis}.
	 * @return the store's name
	 */
	public String store() {
		return this.store;
	}

}
