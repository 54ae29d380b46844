package io.github.wechatminiapp.sample.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@ExtendWith(OutputCaptureExtension.class)
class SandboxEnvironmentPostProcessorTests {

	private final DeferredLogs logs = new DeferredLogs();

	private final DefaultBootstrapContext bootstrapContext = new DefaultBootstrapContext();

	private final SandboxEnvironmentPostProcessor postProcessor = new SandboxEnvironmentPostProcessor(this.logs,
			this.bootstrapContext);

	@Test
	void withoutTheProfileNothingChangesEvenWithoutCredentials(CapturedOutput output) {
		MockEnvironment environment = new MockEnvironment();
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		this.logs.switchOverAll();
		assertThat(environment.getPropertySources().contains(SandboxEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
		assertThat(environment.containsProperty(SandboxEnvironmentPostProcessor.BASE_URL_PROPERTY)).isFalse();
		assertThat(environment.containsProperty("wechat.miniapp.app-id")).isFalse();
		assertThat(output).doesNotContain("SANDBOX MODE");
	}

	@Test
	void withAnotherProfileNothingChanges() {
		MockEnvironment environment = new MockEnvironment();
		environment.setActiveProfiles("wechat");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.containsProperty(SandboxEnvironmentPostProcessor.BASE_URL_PROPERTY)).isFalse();
	}

	@Test
	void theProfileWithAnAppIdIsRefused(CapturedOutput output) {
		MockEnvironment environment = new MockEnvironment().withProperty("wechat.miniapp.app-id", "wx1111111111111111");
		environment.setActiveProfiles("sandbox");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.postProcessor.postProcessEnvironment(environment, new SpringApplication()))
			.withMessageContaining("'sandbox' profile")
			.withMessageContaining("wechat.miniapp.app-id is set")
			.withMessageContaining("WECHAT_MINIAPP_APP_ID")
			.withMessageNotContaining("wx1111111111111111");
		assertThat(environment.containsProperty(SandboxEnvironmentPostProcessor.BASE_URL_PROPERTY)).isFalse();
	}

	@Test
	void theProfileWithAnAppSecretIsRefusedWithoutRepeatingIt() {
		MockEnvironment environment = new MockEnvironment().withProperty("wechat.miniapp.app-secret",
				"abcdefghijklmnopqrstuvwxyz123456");
		environment.setActiveProfiles("sandbox");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.postProcessor.postProcessEnvironment(environment, new SpringApplication()))
			.withMessageContaining("wechat.miniapp.app-secret is set")
			.withMessageContaining("WECHAT_MINIAPP_APP_SECRET")
			.withMessageNotContaining("abcdefghijklmnopqrstuvwxyz123456");
	}

	@Test
	void withTheStarterDisabledNothingChanges() {
		MockEnvironment environment = new MockEnvironment().withProperty("wechat.miniapp.enabled", "false");
		environment.setActiveProfiles("sandbox");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.containsProperty(SandboxEnvironmentPostProcessor.BASE_URL_PROPERTY)).isFalse();
	}

	@Test
	void withTheProfileTheSandboxRunsUntilTheContextCloses(CapturedOutput output) throws Exception {
		MockEnvironment environment = new MockEnvironment().withProperty("wechat.miniapp.app-id", " ");
		environment.setActiveProfiles("sandbox");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		this.logs.switchOverAll();

		String baseUrl = environment.getProperty(SandboxEnvironmentPostProcessor.BASE_URL_PROPERTY);
		assertThat(baseUrl).startsWith("http://127.0.0.1:");
		assertThat(environment.getProperty("wechat.miniapp.api-base-url")).isEqualTo(baseUrl);
		assertThat(environment.getProperty("wechat.miniapp.app-id")).matches("wx[0-9a-f]{16}");
		assertThat(environment.getProperty("wechat.miniapp.app-secret")).hasSize(32);
		assertThat(output).containsOnlyOnce("SANDBOX MODE")
			.contains("WARN")
			.contains(baseUrl)
			.doesNotContain(environment.getProperty("wechat.miniapp.app-secret"));
		assertThat(status(baseUrl + "/sandbox/users")).isEqualTo(201);

		GenericApplicationContext context = new GenericApplicationContext();
		this.bootstrapContext.close(context);
		context.refresh();
		assertThat(context.getBean(SandboxMode.class).sandbox().baseUrl()).isEqualTo(baseUrl);
		context.close();
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> status(baseUrl + "/sandbox/users"));
	}

	@Test
	void runsAfterTheConfigurationFilesAreRead() {
		assertThat(this.postProcessor.getOrder())
			.isGreaterThan(org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor.ORDER);
	}

	private static int status(String url) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		return client
			.send(HttpRequest.newBuilder(URI.create(url))
				.timeout(Duration.ofSeconds(5))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

}
