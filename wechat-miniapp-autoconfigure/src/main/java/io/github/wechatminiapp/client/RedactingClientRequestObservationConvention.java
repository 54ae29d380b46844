package io.github.wechatminiapp.client;

import io.micrometer.common.KeyValue;

import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.http.client.observation.DefaultClientRequestObservationConvention;

/**
 * Spring's HTTP client observation, without the query string in {@code http.url}:
 * WeChat's query strings carry the app secret and access tokens, which must not reach
 * traces.
 */
public class RedactingClientRequestObservationConvention extends DefaultClientRequestObservationConvention {

	@Override
	protected KeyValue requestUri(ClientRequestObservationContext context) {
		KeyValue uri = super.requestUri(context);
		String value = uri.getValue();
		int query = value.indexOf('?');
		return (query < 0) ? uri : KeyValue.of(uri.getKey(), value.substring(0, query));
	}

}
