package io.github.wechatminiapp.autoconfigure;

import org.springframework.web.client.RestClient;

/**
 * Customizes the {@link RestClient.Builder} of the client the starter talks to WeChat
 * with. The starter builds that client from {@link RestClient#builder()}, not from the
 * application's builder, so an application's own {@code RestClientCustomizer} (a
 * request-logging interceptor, say) never sees WeChat's requests; declare a bean of this
 * type to customize them instead.
 * <p>
 * <strong>What a customizer sees is secret.</strong> WeChat takes the app secret and
 * access tokens in query strings and request bodies: an interceptor added here sees them
 * and must never log or forward them.
 */
@FunctionalInterface
public interface WeChatMiniAppRestClientCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder of the starter's client
	 */
	void customize(RestClient.Builder builder);

}
