package io.github.wechatminiapp.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.token.AccessTokenProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WeChat takes the app secret and access tokens in query strings and bodies: an
 * application's own request logging, registered as a {@link RestClientCustomizer}, must
 * never see the starter's requests.
 */
class RestClientIsolationTests {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(RestClientAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
		.withPropertyValues(sandbox.springPropertyValues());

	/**
	 * What a request-logging interceptor would write: the URL and the body of each
	 * request.
	 */
	static final class RequestLogger implements ClientHttpRequestInterceptor {

		final List<String> lines = new CopyOnWriteArrayList<>();

		@Override
		public org.springframework.http.client.ClientHttpResponse intercept(
				org.springframework.http.HttpRequest request, byte[] body,
				org.springframework.http.client.ClientHttpRequestExecution execution) throws java.io.IOException {
			this.lines
				.add(request.getMethod() + " " + request.getURI() + " " + new String(body, StandardCharsets.UTF_8));
			return execution.execute(request, body);
		}

	}

	@Test
	void applicationRestClientCustomizersNeverSeeTheSecretOrTheToken() {
		RequestLogger logger = new RequestLogger();
		this.runner.withBean(RestClientCustomizer.class, () -> (builder) -> builder.requestInterceptor(logger))
			.run((context) -> {
				PhoneNumberService service = context.getBean(PhoneNumberService.class);
				WeChatSandboxUser user = sandbox.createUser();
				service.login(sandbox.loginCode(user));
				assertThat(service.getPhoneNumber(sandbox.phoneCode(user)).purePhoneNumber())
					.isEqualTo(user.purePhoneNumber());
				String token = context.getBean(AccessTokenProvider.class).getAccessToken();
				assertThat(logger.lines).isEmpty();
				// The application's own clients still get its customizer.
				String answer = context.getBean(RestClient.Builder.class)
					.build()
					.get()
					.uri(sandbox.baseUrl() + "/cgi-bin/token?grant_type=client_credential")
					.retrieve()
					.body(String.class);
				assertThat(answer).contains("errcode");
				assertThat(logger.lines).singleElement().asString().contains("/cgi-bin/token");
				assertThat(String.join("\n", logger.lines)).doesNotContain(sandbox.appSecret()).doesNotContain(token);
			});
	}

	@Test
	void starterCustomizersSeeTheStartersRequests() {
		RequestLogger logger = new RequestLogger();
		this.runner
			.withBean(WeChatMiniAppRestClientCustomizer.class, () -> (builder) -> builder.requestInterceptor(logger))
			.run((context) -> {
				context.getBean(AccessTokenProvider.class).getAccessToken();
				// Documented: this hook sees secrets, which is why it is separate from
				// the application's.
				assertThat(logger.lines).singleElement()
					.asString()
					.contains("/cgi-bin/stable_token")
					.contains(sandbox.appSecret());
			});
	}

}
