package io.github.wechatminiapp.client;

import java.net.URI;

import io.micrometer.common.KeyValue;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.mock.http.client.MockClientHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

class RedactingClientRequestObservationConventionTests {

	@Test
	void httpUrlLosesItsQueryString() {
		ClientRequestObservationContext context = new ClientRequestObservationContext(new MockClientHttpRequest(
				HttpMethod.GET, URI.create("https://api.weixin.qq.com/sns/jscode2session?appid=wx1&secret=SECRET")));
		assertThat(new RedactingClientRequestObservationConvention().getHighCardinalityKeyValues(context))
			.contains(KeyValue.of("http.url", "https://api.weixin.qq.com/sns/jscode2session"))
			.noneSatisfy((keyValue) -> assertThat(keyValue.getValue()).contains("SECRET"));
	}

	@Test
	void aUrlThatIsOnlyAQueryStringLosesAllOfIt() {
		ClientRequestObservationContext context = new ClientRequestObservationContext(
				new MockClientHttpRequest(HttpMethod.GET, URI.create("?secret=SECRET")));
		assertThat(new RedactingClientRequestObservationConvention().getHighCardinalityKeyValues(context))
			.contains(KeyValue.of("http.url", ""));
	}

	@Test
	void aUrlWithoutQueryStringIsKept() {
		ClientRequestObservationContext context = new ClientRequestObservationContext(new MockClientHttpRequest(
				HttpMethod.POST, URI.create("https://api.weixin.qq.com/cgi-bin/stable_token")));
		assertThat(new RedactingClientRequestObservationConvention().getHighCardinalityKeyValues(context))
			.contains(KeyValue.of("http.url", "https://api.weixin.qq.com/cgi-bin/stable_token"));
	}

}
