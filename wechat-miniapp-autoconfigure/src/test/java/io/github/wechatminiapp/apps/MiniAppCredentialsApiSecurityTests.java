package io.github.wechatminiapp.apps;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.github.wechatminiapp.crypto.PemKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link MiniAppCredentials.ApiSecurity}, with WeChat's documented example keys (see
 * src/test/resources/api-security/README.md).
 */
class MiniAppCredentialsApiSecurityTests {

	private static final String KEY = "otUpngOjU+nVQaWJIC3D/yMLV17RKaP6t4Ot9tbnzLY=";

	private static final String SN = "fa05fe1e5bcc79b81ad5ad4b58acf787";

	private static final String PLATFORM_SN = "79ba700ea147819f640941bceb38b1d1";

	private static final String PRIVATE_KEY_PEM = resource("official-app-private-key.pem");

	private static final String CERTIFICATE_PEM = resource("official-platform-certificate.pem");

	private static final PrivateKey PRIVATE_KEY = PemKeys.rsaPrivateKey(PRIVATE_KEY_PEM);

	private static final X509Certificate CERTIFICATE = PemKeys.rsaCertificate(CERTIFICATE_PEM);

	@Test
	void readsTheAdministratorsValuesWithTheDefaultReplayWindow() {
		MiniAppCredentials.ApiSecurity keys = MiniAppCredentials.ApiSecurity.of(KEY, SN, PRIVATE_KEY_PEM, PLATFORM_SN,
				CERTIFICATE_PEM);
		assertThat(keys.symmetricKey()).isEqualTo(KEY);
		assertThat(keys.symmetricKeySn()).isEqualTo(SN);
		assertThat(keys.privateKey()).isEqualTo(PRIVATE_KEY);
		assertThat(keys.platformCertificates()).containsOnlyKeys(PLATFORM_SN).containsValue(CERTIFICATE);
		assertThat(keys.replayWindow()).isEqualTo(Duration.ofMinutes(5))
			.isEqualTo(MiniAppCredentials.ApiSecurity.DEFAULT_REPLAY_WINDOW);
	}

	@Test
	void addsARotatedCertificateAndAnotherReplayWindow() {
		MiniAppCredentials.ApiSecurity keys = MiniAppCredentials.ApiSecurity
			.of(KEY, SN, PRIVATE_KEY_PEM, PLATFORM_SN, CERTIFICATE_PEM)
			.withPlatformCertificate("next", CERTIFICATE_PEM)
			.withReplayWindow(Duration.ofSeconds(30));
		assertThat(keys.platformCertificates()).containsOnlyKeys(PLATFORM_SN, "next");
		assertThat(keys.replayWindow()).isEqualTo(Duration.ofSeconds(30));
		assertThat(keys.symmetricKey()).isEqualTo(KEY);
		assertThat(keys.symmetricKeySn()).isEqualTo(SN);
		assertThat(keys.privateKey()).isEqualTo(PRIVATE_KEY);
	}

	@Test
	void credentialsKeepTheirKeysAndTwoArgumentCredentialsHaveNone() {
		MiniAppCredentials plain = new MiniAppCredentials("wx0123456789abcdef", "0123456789abcdef0123456789abcdef");
		assertThat(plain.apiSecurity()).isNull();
		assertThat(plain.toString()).isEqualTo("MiniAppCredentials[appId=wx0123456789abcdef, appSecret=******]");
		MiniAppCredentials.ApiSecurity keys = MiniAppCredentials.ApiSecurity.of(KEY, SN, PRIVATE_KEY_PEM, PLATFORM_SN,
				CERTIFICATE_PEM);
		MiniAppCredentials secured = plain.withApiSecurity(keys);
		assertThat(secured.apiSecurity()).isSameAs(keys);
		assertThat(secured.appId()).isEqualTo(plain.appId());
		assertThat(secured.appSecret()).isEqualTo(plain.appSecret());
		assertThat(secured.withApiSecurity(null)).isEqualTo(plain);
		assertThat(secured.toString()).isEqualTo("MiniAppCredentials[appId=wx0123456789abcdef, appSecret=******, "
				+ "apiSecurity=ApiSecurity[symmetricKey=******, symmetricKeySn=" + SN + ", privateKey=******, "
				+ "platformCertificates=[" + PLATFORM_SN + "], replayWindow=PT5M]]");
	}

	@Test
	void refusesEachMissingOrMalformedValueWithoutQuotingIt() {
		Map<String, X509Certificate> certificates = Map.of(PLATFORM_SN, CERTIFICATE);
		Duration window = Duration.ofMinutes(5);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniAppCredentials.ApiSecurity(null, SN, PRIVATE_KEY, certificates, window))
			.withMessage("the symmetric key must be the Base64 of 32 bytes (AES256_GCM)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniAppCredentials.ApiSecurity("c2hvcnQ=", SN, PRIVATE_KEY, certificates, window))
			.withMessageNotContaining("c2hvcnQ=");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniAppCredentials.ApiSecurity(KEY + "AAAA", SN, PRIVATE_KEY, certificates, window));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniAppCredentials.ApiSecurity("not base64!", SN, PRIVATE_KEY, certificates, window));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniAppCredentials.ApiSecurity(KEY, null, PRIVATE_KEY, certificates, window))
			.withMessage("the symmetric key's number (sn) is required");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniAppCredentials.ApiSecurity(KEY, " ", PRIVATE_KEY, certificates, window));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniAppCredentials.ApiSecurity(KEY, SN, null, certificates, window))
			.withMessage("the app's private key is required");
		String noCertificate = "at least one platform certificate with its number is required";
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniAppCredentials.ApiSecurity(KEY, SN, PRIVATE_KEY, null, window))
			.withMessage(noCertificate);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniAppCredentials.ApiSecurity(KEY, SN, PRIVATE_KEY, Map.of(), window))
			.withMessage(noCertificate);
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> new MiniAppCredentials.ApiSecurity(KEY, SN, PRIVATE_KEY, Map.of(" ", CERTIFICATE), window))
			.withMessage(noCertificate);
		Map<String, X509Certificate> nullValue = new HashMap<>();
		nullValue.put(PLATFORM_SN, null);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniAppCredentials.ApiSecurity(KEY, SN, PRIVATE_KEY, nullValue, window))
			.withMessage(noCertificate);
		Map<String, X509Certificate> nullKey = new HashMap<>();
		nullKey.put(null, CERTIFICATE);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniAppCredentials.ApiSecurity(KEY, SN, PRIVATE_KEY, nullKey, window))
			.withMessage(noCertificate);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniAppCredentials.ApiSecurity(KEY, SN, PRIVATE_KEY, certificates, null))
			.withMessage("the replay window must be positive");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MiniAppCredentials.ApiSecurity(KEY, SN, PRIVATE_KEY, certificates, Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(
				() -> new MiniAppCredentials.ApiSecurity(KEY, SN, PRIVATE_KEY, certificates, Duration.ofSeconds(-1)));
		assertThat(new MiniAppCredentials.ApiSecurity(KEY, SN, PRIVATE_KEY, certificates, Duration.ofSeconds(1))
			.replayWindow()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void namesThePemAtFault() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MiniAppCredentials.ApiSecurity.of(KEY, SN, CERTIFICATE_PEM, PLATFORM_SN, CERTIFICATE_PEM))
			.withMessage("the private key holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MiniAppCredentials.ApiSecurity.of(KEY, SN, PRIVATE_KEY_PEM, PLATFORM_SN, PRIVATE_KEY_PEM))
			.withMessage("the platform certificate holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MiniAppCredentials.ApiSecurity.of(KEY, SN, PRIVATE_KEY_PEM, null, CERTIFICATE_PEM))
			.withMessage("at least one platform certificate with its number is required");
		MiniAppCredentials.ApiSecurity keys = MiniAppCredentials.ApiSecurity.of(KEY, SN, PRIVATE_KEY_PEM, PLATFORM_SN,
				CERTIFICATE_PEM);
		assertThatIllegalArgumentException().isThrownBy(() -> keys.withPlatformCertificate(null, CERTIFICATE_PEM))
			.withMessage("at least one platform certificate with its number is required");
		assertThatIllegalArgumentException().isThrownBy(() -> keys.withPlatformCertificate("next", "nope"))
			.withMessageStartingWith("the platform certificate ");
	}

	private static String resource(String name) {
		try (InputStream in = MiniAppCredentialsApiSecurityTests.class.getResourceAsStream("/api-security/" + name)) {
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
