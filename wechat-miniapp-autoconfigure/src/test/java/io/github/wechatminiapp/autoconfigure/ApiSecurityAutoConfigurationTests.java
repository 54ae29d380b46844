package io.github.wechatminiapp.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.wechatminiapp.apps.MiniAppCredentials;
import io.github.wechatminiapp.client.ApiSecurityRejectionListener;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatApiSecurityException;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.test.ApiSecurityTampering;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxApiSecurity;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code api-security} properties: WeChat's API security mode turned on with the
 * administrator's values, end to end against {@link WeChatSandbox}, and startup failing,
 * naming the property, for each bad value.
 */
class ApiSecurityAutoConfigurationTests {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension(
			WeChatSandbox.builder().app("wx00000000000000b2", "0123456789abcdef0123456789abcdef"));

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private static final WeChatSandboxApiSecurity keys = sandbox.enableApiSecurity();

	private static final WeChatSandboxApiSecurity otherKeys = sandbox.enableApiSecurity("wx00000000000000b2");

	@TempDir
	static Path files;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class,
				WeChatMiniAppAutoConfiguration.class, WeChatMiniAppObservabilityAutoConfiguration.class))
		.withPropertyValues(sandbox.springPropertyValues());

	private final ApplicationContextRunner secured = this.runner
		.withPropertyValues(properties("wechat.miniapp.", keys));

	@BeforeAll
	static void writeKeys() throws IOException {
		write("app.pem", keys.appPrivateKeyPem());
		write("platform.pem", keys.platformCertificatePem());
		write("next-platform.pem", keys.nextPlatformCertificatePem());
		write("other-app.pem", otherKeys.appPrivateKeyPem());
		write("empty.pem", "");
		Files.write(files.resolve("huge.pem"), new byte[64 * 1024 + 1]);
	}

	@Test
	void getsPhoneNumbersEndToEndInApiSecurityMode() {
		this.secured.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasNotFailed();
			PhoneNumberService phoneNumbers = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = sandbox.createUser();
			String code = sandbox.phoneCode(user);
			assertThat(phoneNumbers.getPhoneNumber(code).purePhoneNumber()).isEqualTo(user.purePhoneNumber());
			assertThat(keys.receivedBodies()).isNotEmpty().noneMatch((body) -> body.contains(code));
			keys.tamperNextAnswer(ApiSecurityTampering.BAD_SIGNATURE);
			assertThatExceptionOfType(WeChatApiSecurityException.class)
				.isThrownBy(() -> phoneNumbers.getPhoneNumber(sandbox.phoneCode(user)));
			assertThat(context.getBean(MeterRegistry.class)
				.get(MicrometerApiSecurityRejectionListener.METER_NAME)
				.tags("app", sandbox.appId(), "api", "getuserphonenumber", "reason", "bad_signature")
				.counter()
				.count()).isEqualTo(1.0);
		});
	}

	@Test
	void withoutTheModeTheSandboxRefusesThePlainCall() {
		this.runner.run((context) -> {
			PhoneNumberService phoneNumbers = context.getBean(PhoneNumberService.class);
			assertThatExceptionOfType(WeChatApiException.class)
				.isThrownBy(() -> phoneNumbers.getPhoneNumber(sandbox.phoneCode(sandbox.createUser())))
				.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(40233));
		});
	}

	@Test
	void eachAppOfAppsHasItsOwnKeys() {
		this.runner
			.withPropertyValues("wechat.miniapp.apps.shop.app-id=wx00000000000000b2",
					"wechat.miniapp.apps.shop.app-secret=0123456789abcdef0123456789abcdef")
			.withPropertyValues(properties("wechat.miniapp.apps.shop.", otherKeys))
			.withPropertyValues(properties("wechat.miniapp.", keys))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				io.github.wechatminiapp.apps.MiniApps apps = context
					.getBean(io.github.wechatminiapp.apps.MiniApps.class);
				WeChatSandboxUser user = sandbox.createUser("wx00000000000000b2");
				assertThat(apps.phoneNumbers("wx00000000000000b2")
					.getPhoneNumber(sandbox.phoneCode(user))
					.purePhoneNumber()).isEqualTo(user.purePhoneNumber());
				WeChatSandboxUser defaultUser = sandbox.createUser();
				assertThat(apps.phoneNumbers(sandbox.appId())
					.getPhoneNumber(sandbox.phoneCode(defaultUser))
					.purePhoneNumber()).isEqualTo(defaultUser.purePhoneNumber());
			});
	}

	@Test
	void aRotatedCertificateVerifiesWhenConfiguredAsTheNextOne() {
		WeChatSandbox rotating = WeChatSandbox.start();
		try {
			WeChatSandboxApiSecurity rotatingKeys = rotating.enableApiSecurity();
			rotatingKeys.rotatePlatformCertificate();
			write("rotating-app.pem", rotatingKeys.appPrivateKeyPem());
			// Only the next certificate: the answer's main signature must verify with it.
			this.runner.withPropertyValues(rotating.springPropertyValues())
				.withPropertyValues("wechat.miniapp.api-security.enabled=true",
						"wechat.miniapp.api-security.symmetric-key=" + rotatingKeys.symmetricKey(),
						"wechat.miniapp.api-security.symmetric-key-sn=" + rotatingKeys.symmetricKeySn(),
						"wechat.miniapp.api-security.private-key=" + uri("rotating-app.pem"),
						"wechat.miniapp.api-security.platform-certificate=" + uri("platform.pem"),
						"wechat.miniapp.api-security.platform-certificate-sn=0000",
						"wechat.miniapp.api-security.next-platform-certificate=" + uri("next-platform.pem"),
						"wechat.miniapp.api-security.next-platform-certificate-sn="
								+ rotatingKeys.nextPlatformCertificateSn())
				.run((context) -> {
					WeChatSandboxUser user = rotating.createUser();
					assertThat(context.getBean(PhoneNumberService.class)
						.getPhoneNumber(rotating.phoneCode(user))
						.purePhoneNumber()).isEqualTo(user.purePhoneNumber());
				});
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		finally {
			rotating.close();
		}
	}

	@Test
	void credentialsFromARepositoryCarryTheirOwnKeys() {
		MiniAppCredentials credentials = new MiniAppCredentials(sandbox.appId(), sandbox.appSecret())
			.withApiSecurity(MiniAppCredentials.ApiSecurity.of(keys.symmetricKey(), keys.symmetricKeySn(),
					keys.appPrivateKeyPem(), keys.platformCertificateSn(), keys.platformCertificatePem()));
		this.runner.run((context) -> {
			MiniAppServicesFactory factory = context.getBean(MiniAppServicesFactory.class);
			WeChatSandboxUser user = sandbox.createUser();
			assertThat(factory.create(credentials)
				.phoneNumbers()
				.getPhoneNumber(sandbox.phoneCode(user))
				.purePhoneNumber()).isEqualTo(user.purePhoneNumber());
		});
	}

	@Test
	void secretsAreMaskedInToStringAndActuatorOutput() {
		this.secured.run((context) -> {
			WeChatMiniAppProperties properties = context.getBean(WeChatMiniAppProperties.class);
			assertThat(properties.getApiSecurity().toString()).contains("symmetricKey=******", keys.symmetricKeySn())
				.doesNotContain(keys.symmetricKey());
			MiniAppCredentials.ApiSecurity read = ApiSecuritySettings.read("wechat.miniapp.api-security.",
					properties.getApiSecurity());
			String shown = new MiniAppCredentials(sandbox.appId(), sandbox.appSecret()).withApiSecurity(read)
				.toString();
			String privateKeyBody = keys.appPrivateKeyPem().lines().skip(1).findFirst().orElseThrow();
			assertThat(shown)
				.contains("apiSecurity=ApiSecurity[symmetricKey=******", "privateKey=******",
						keys.platformCertificateSn(), "PT5M")
				.doesNotContain(keys.symmetricKey())
				.doesNotContain(privateKeyBody)
				.doesNotContain(sandbox.appSecret());
			assertThat(new WeChatMiniAppProperties.ApiSecurity().toString()).contains("symmetricKey=null");
			SanitizingFunction sanitizer = context.getBean(SanitizingFunction.class);
			MapPropertySource source = new MapPropertySource("test", Map.of());
			for (String key : List.of("wechat.miniapp.api-security.symmetric-key",
					"wechat.miniapp.api-security.symmetricKey", "WECHAT_MINIAPP_API_SECURITY_SYMMETRIC_KEY",
					"wechat.miniapp.apps.shop.api-security.symmetric-key",
					"WECHAT_MINIAPP_APPS_SHOP_API_SECURITY_SYMMETRIC_KEY")) {
				assertThat(
						sanitizer.applyUnlessFiltered(new SanitizableData(source, key, keys.symmetricKey())).getValue())
					.as(key)
					.isEqualTo(SanitizableData.SANITIZED_VALUE);
			}
			assertThat(sanitizer
				.applyUnlessFiltered(new SanitizableData(source, "wechat.miniapp.api-security.symmetric-key-sn",
						keys.symmetricKeySn()))
				.getValue()).isEqualTo(keys.symmetricKeySn());
		});
	}

	@Test
	void bindsTheDefaults() {
		this.runner.run((context) -> {
			WeChatMiniAppProperties.ApiSecurity settings = context.getBean(WeChatMiniAppProperties.class)
				.getApiSecurity();
			assertThat(settings.isEnabled()).isFalse();
			assertThat(settings.getReplayWindow()).isEqualTo(Duration.ofMinutes(5));
			assertThat(settings.getSymmetricAlgorithm())
				.isEqualTo(WeChatMiniAppProperties.SymmetricAlgorithm.AES256_GCM);
			assertThat(settings.getSignatureAlgorithm())
				.isEqualTo(WeChatMiniAppProperties.SignatureAlgorithm.RSA_WITH_SHA256);
			assertThat(ApiSecuritySettings.read("x.", settings)).isNull();
		});
		this.secured
			.withPropertyValues("wechat.miniapp.api-security.symmetric-algorithm=AES256_GCM",
					"wechat.miniapp.api-security.signature-algorithm=RSAwithSHA256",
					"wechat.miniapp.api-security.replay-window=90s")
			.run((context) -> {
				WeChatMiniAppProperties.ApiSecurity settings = context.getBean(WeChatMiniAppProperties.class)
					.getApiSecurity();
				assertThat(ApiSecuritySettings.read("x.", settings).replayWindow()).isEqualTo(Duration.ofSeconds(90));
			});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"symmetric-key=c2hvcnQ=|symmetric-key|the symmetric key must be the Base64 of 32 bytes",
			"symmetric-key=not base64!|symmetric-key|the symmetric key must be the Base64 of 32 bytes",
			"symmetric-key=|symmetric-key|the symmetric key must be the Base64 of 32 bytes",
			"symmetric-key-sn=|symmetric-key-sn|symmetric-key-sn is required",
			"private-key=|private-key|private-key is required",
			"private-key=file:/nonexistent/app.pem|private-key|cannot be read (FileNotFoundException)",
			"private-key=classpath:nonexistent.pem|private-key|cannot be read (FileNotFoundException)",
			"private-key=@platform.pem|private-key|the file holds no PEM private key",
			"private-key=@empty.pem|private-key|the file holds no PEM private key",
			"private-key=@huge.pem|private-key|larger than 65536 bytes",
			"private-key=classpath:api-security/rsa-1024-private-key.pem|private-key|1024 bits",
			"private-key=classpath:api-security/ec-private-key.pem|private-key|not SM2withSM3",
			"platform-certificate=|platform-certificate|platform-certificate is required",
			"platform-certificate=@app.pem|platform-certificate|the file holds no PEM certificate",
			"platform-certificate=classpath:api-security/ec-certificate.pem|platform-certificate|not an RSA certificate",
			"platform-certificate-sn=|platform-certificate-sn|platform-certificate-sn is required",
			"next-platform-certificate=@next-platform.pem|next-platform-certificate-sn|is required",
			"next-platform-certificate-sn=abc|next-platform-certificate|is required",
			"replay-window=0s|replay-window|the replay window must be positive",
			"replay-window=-1s|replay-window|the replay window must be positive",
			"symmetric-algorithm=SM4_GCM|symmetric-algorithm|only AES256_GCM is implemented",
			"signature-algorithm=SM2withSM3|signature-algorithm|only RSAwithSHA256 is implemented" })
	void startupFailsNamingThePropertyAtFault(String setting, String property, String message) {
		String value = setting.substring(setting.indexOf('=') + 1);
		String resolved = value.startsWith("@") ? uri(value.substring(1)) : value;
		String name = setting.substring(0, setting.indexOf('='));
		this.secured.withPropertyValues("wechat.miniapp.api-security." + name + "=" + resolved).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.satisfies((ex) -> assertThat(((InvalidConfigurationPropertyValueException) ex).getName())
					.isEqualTo("wechat.miniapp.api-security." + property))
				.hasMessageContaining(message)
				.hasMessageNotContaining(keys.symmetricKey());
		});
	}

	@Test
	void theRefusedValueIsMaskedForTheKeyAndShownForTheWindow() {
		WeChatMiniAppProperties.ApiSecurity settings = new WeChatMiniAppProperties.ApiSecurity();
		settings.setEnabled(true);
		settings.setSymmetricKeySn("sn");
		settings.setPrivateKey(
				new org.springframework.core.io.ClassPathResource("api-security/official-app-private-key.pem"));
		settings.setPlatformCertificate(
				new org.springframework.core.io.ClassPathResource("api-security/official-platform-certificate.pem"));
		settings.setPlatformCertificateSn("psn");
		settings.setSymmetricKey("c2hvcnQ=");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> ApiSecuritySettings.read("p.", settings))
			.satisfies((ex) -> {
				assertThat(ex.getName()).isEqualTo("p.symmetric-key");
				assertThat(ex.getValue()).isEqualTo("******");
			});
		settings.setSymmetricKey(null);
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> ApiSecuritySettings.read("p.", settings))
			.satisfies((ex) -> assertThat(ex.getValue()).isNull());
		settings.setSymmetricKey(keys.symmetricKey());
		settings.setReplayWindow(Duration.ZERO);
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> ApiSecuritySettings.read("p.", settings))
			.satisfies((ex) -> {
				assertThat(ex.getName()).isEqualTo("p.replay-window");
				assertThat(ex.getValue()).isEqualTo(Duration.ZERO);
			});
		settings.setReplayWindow(Duration.ofSeconds(1));
		MiniAppCredentials.ApiSecurity read = ApiSecuritySettings.read("p.", settings);
		assertThat(read.replayWindow()).isEqualTo(Duration.ofSeconds(1));
		assertThat(read.platformCertificates()).containsOnlyKeys("psn");
		assertThat(read.symmetricKeySn()).isEqualTo("sn");
	}

	@Test
	void startupFailsForAnAppOfApps() {
		this.runner
			.withPropertyValues("wechat.miniapp.apps.shop.app-id=wx00000000000000b2",
					"wechat.miniapp.apps.shop.app-secret=0123456789abcdef0123456789abcdef")
			.withPropertyValues(properties("wechat.miniapp.apps.shop.", otherKeys))
			.withPropertyValues("wechat.miniapp.apps.shop.api-security.symmetric-key=c2hvcnQ=")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.satisfies((ex) -> assertThat(((InvalidConfigurationPropertyValueException) ex).getName())
					.isEqualTo("wechat.miniapp.apps.shop.api-security.symmetric-key")));
	}

	@Test
	void startupFailsWhenTheTopLevelModeHasNoApp() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(RestClientAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
			.withPropertyValues("wechat.miniapp.apps.shop.app-id=wx00000000000000b2",
					"wechat.miniapp.apps.shop.app-secret=0123456789abcdef0123456789abcdef",
					"wechat.miniapp.api-security.enabled=true")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("applies to the app of wechat.miniapp.app-id, which is not set")
				.satisfies((ex) -> assertThat(((InvalidConfigurationPropertyValueException) ex).getName())
					.isEqualTo("wechat.miniapp.api-security.enabled")));
	}

	@Test
	void aListenerBeanReplacesTheMetrics() {
		List<WeChatApiSecurityException.Reason> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.secured.withBean(ApiSecurityRejectionListener.class, () -> (appId, api, reason) -> reasons.add(reason))
			.run((context) -> {
				keys.tamperNextAnswer(ApiSecurityTampering.PLAINTEXT);
				assertThatExceptionOfType(WeChatApiSecurityException.class)
					.isThrownBy(() -> context.getBean(PhoneNumberService.class)
						.getPhoneNumber(sandbox.phoneCode(sandbox.createUser())));
				assertThat(reasons).containsExactly(WeChatApiSecurityException.Reason.UNSIGNED);
			});
	}

	private static String[] properties(String prefix, WeChatSandboxApiSecurity keys) {
		String file = (keys == otherKeys) ? "other-app.pem" : "app.pem";
		return new String[] { prefix + "api-security.enabled=true",
				prefix + "api-security.symmetric-key=" + keys.symmetricKey(),
				prefix + "api-security.symmetric-key-sn=" + keys.symmetricKeySn(),
				prefix + "api-security.private-key=" + uri(file),
				prefix + "api-security.platform-certificate=" + uri("platform.pem"),
				prefix + "api-security.platform-certificate-sn=" + keys.platformCertificateSn() };
	}

	private static String uri(String name) {
		return files.resolve(name).toUri().toString();
	}

	private static void write(String name, String content) throws IOException {
		Files.writeString(files.resolve(name), content, StandardCharsets.US_ASCII);
	}

}
