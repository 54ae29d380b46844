package io.github.wechatminiapp.autoconfigure;

/**
 * {@code wechat.miniapp.store=redis} without Redis: explained at startup by
 * {@link RedisStoreUnavailableFailureAnalyzer}. Asked for explicitly, so never answered
 * by falling back to memory, which would lose keys and tokens between instances without a
 * word.
 */
final class RedisStoreUnavailableException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	RedisStoreUnavailableException() {
		super("wechat.miniapp.store=redis needs Spring Data Redis on the classpath and a RedisConnectionFactory bean "
				+ "(spring-boot-starter-data-redis)");
	}

}
