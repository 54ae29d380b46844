package io.github.wechatminiapp.autoconfigure;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.crypto.OpenDataSignatures;
import io.github.wechatminiapp.phone.MiniAppLogin;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.token.AccessTokenProvider;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.observation.ObservationRestClientCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.http.client.observation.DefaultClientRequestObservationConvention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Every WeChat call of a real flow against {@link WeChatSandbox}, observed by a real
 * observation registry the way Spring Boot wires one (the HTTP client's own observations
 * included, with their full URL as a high-cardinality key): what the handlers and the
 * meters receive carries no secret, token or code, though WeChat puts them in the query
 * string.
 */
class ObservedWeChatCallsTests {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void observationsOfAWholeFlowCarryNoSecretTokenOrCode(boolean stableToken) {
		Recorder recorder = new Recorder();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig()
			.observationHandler(recorder)
			.observationHandler(new DefaultMeterObservationHandler(meters));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class,
					WeChatMiniAppAutoConfiguration.class, WeChatMiniAppObservabilityAutoConfiguration.class))
			.withPropertyValues(sandbox.springPropertyValues())
			.withPropertyValues("wechat.miniapp.access-token.stable=" + stableToken)
			.withBean(ObservationRegistry.class, () -> observations)
			// What Spring Boot's RestClientObservationAutoConfiguration registers when an
			// application has it.
			.withBean(ObservationRestClientCustomizer.class,
					() -> new ObservationRestClientCustomizer(observations,
							new DefaultClientRequestObservationConvention()))
			.run((context) -> {
				Set<String> secrets = ConcurrentHashMap.newKeySet();
				secrets.add(sandbox.appSecret());
				PhoneNumberService service = context.getBean(PhoneNumberService.class);
				WeChatSandboxUser user = sandbox.createUser();
				String loginCode = sandbox.loginCode(user);
				secrets.add(loginCode);
				MiniAppLogin login = service.login(loginCode);
				secrets.add(sandbox.sessionKey(user));
				String phoneCode = sandbox.phoneCode(user);
				secrets.add(phoneCode);
				secrets.add(service.getPhoneNumber(login.openid(), phoneCode).purePhoneNumber());
				assertThat(service.checkSessionKey(login.openid())).isTrue();
				secrets.add(OpenDataSignatures.sessionKeySignature(
						context.getBean(SessionKeyRepository.class).find(login.openid()).orElseThrow().toBase64()));
				secrets.add(context.getBean(AccessTokenProvider.class).getAccessToken());
				// Refused calls are observed with their error too.
				String refusedCode = "no-such-code-" + System.nanoTime();
				secrets.add(refusedCode);
				assertThatException().isThrownBy(() -> service.login(refusedCode));

				// The observations happened, or their absence of secrets proves nothing.
				assertThat(recorder.clientRequestPaths()).contains("/sns/jscode2session",
						stableToken ? "/cgi-bin/stable_token" : "/cgi-bin/token", "/wxa/business/getuserphonenumber",
						"/wxa/checksession");
				assertThat(recorder.names()).contains(WeChatMiniAppClient.OBSERVATION_NAME);
				assertThat(recorder.keyValues()).anySatisfy((keyValue) -> {
					assertThat(keyValue.getKey()).isEqualTo("http.url");
					assertThat(keyValue.getValue()).startsWith(sandbox.baseUrl()).endsWith("/sns/jscode2session");
				});
				List<String> recorded = recorder.texts();
				meters.getMeters().stream().map(Meter::getId).forEach((id) -> {
					recorded.add(id.getName());
					id.getTags().stream().map(Tag::getValue).forEach(recorded::add);
				});
				assertThat(recorded).hasSizeGreaterThan(50)
					.allSatisfy((text) -> assertThat(secrets)
						.noneSatisfy((secret) -> assertThat(text).as("observed text").contains(secret)));
			});
	}

	/**
	 * Keeps every name, key value and error message observations carry when they stop.
	 */
	private static final class Recorder implements ObservationHandler<Observation.Context> {

		private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

		List<String> names() {
			return this.stopped.stream().map(Observation.Context::getName).toList();
		}

		List<KeyValue> keyValues() {
			return this.stopped.stream().flatMap((context) -> context.getAllKeyValues().stream()).toList();
		}

		List<String> clientRequestPaths() {
			return this.stopped.stream()
				.filter(ClientRequestObservationContext.class::isInstance)
				.map((context) -> ((ClientRequestObservationContext) context).getCarrier().getURI().getPath())
				.toList();
		}

		List<String> texts() {
			List<String> texts = new CopyOnWriteArrayList<>();
			for (Observation.Context context : this.stopped) {
				texts.add(String.valueOf(context.getName()));
				texts.add(String.valueOf(context.getContextualName()));
				context.getAllKeyValues().forEach((keyValue) -> texts.add(keyValue.getValue()));
				if (context.getError() != null) {
					texts.add(String.valueOf(context.getError().getMessage()));
				}
			}
			return texts;
		}

	}

}
