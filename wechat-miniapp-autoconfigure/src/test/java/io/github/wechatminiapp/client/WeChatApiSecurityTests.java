package io.github.wechatminiapp.client;

import java.net.http.HttpClient;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.github.wechatminiapp.client.WeChatApiSecurityException.Reason;
import io.github.wechatminiapp.crypto.PemKeys;
import io.github.wechatminiapp.test.ApiSecurityTampering;
import io.github.wechatminiapp.test.RecordingAppender;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxApiSecurity;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The phone-number exchange in WeChat's API security mode against {@link WeChatSandbox},
 * a real HTTP server on loopback that speaks the protocol, and every way its answer can
 * be spoiled.
 */
class WeChatApiSecurityTests {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private static final WeChatSandboxApiSecurity keys = sandbox.enableApiSecurity();

	private static final RetrySettings NO_RETRY = new RetrySettings(1, Duration.ofMillis(1), Duration.ofMillis(1), 2);

	private final List<Reason> rejections = new ArrayList<>();

	@Test
	void exchangesAPhoneCodeEndToEndWithNothingInClear() {
		WeChatMiniAppClient client = securedClient(Clock.systemUTC());
		WeChatSandboxUser user = sandbox.createUser();
		String code = sandbox.phoneCode(user);
		String accessToken = client.fetchStableAccessToken(false).value();
		PhoneInfo info = client.getBoundUserPhoneNumber(accessToken, user.openid(), code);
		assertThat(info.purePhoneNumber()).isEqualTo(user.purePhoneNumber());
		assertThat(info.watermark().appId()).isEqualTo(sandbox.appId());
		String body = keys.receivedBodies().get(keys.receivedBodies().size() - 1);
		assertThat(body).doesNotContain(code)
			.doesNotContain(user.openid())
			.doesNotContain(accessToken)
			.doesNotContain(user.purePhoneNumber());
		JsonNode envelope = JsonMapper.builder().build().readTree(body);
		assertThat(envelope.propertyNames()).containsExactly("iv", "data", "authtag");
		assertThat(this.rejections).isEmpty();
	}

	@Test
	void exchangesAnUnboundCodeAndReadsWeChatsRefusalsInsideTheEnvelope() {
		WeChatMiniAppClient client = securedClient(Clock.systemUTC());
		WeChatSandboxUser user = sandbox.createUser();
		String code = sandbox.phoneCode(user);
		String accessToken = client.fetchStableAccessToken(false).value();
		assertThat(client.getUserPhoneNumber(accessToken, code).purePhoneNumber()).isEqualTo(user.purePhoneNumber());
		assertThatExceptionOfType(WeChatApiException.class)
			.isThrownBy(() -> client.getUserPhoneNumber(accessToken, code))
			.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(40029));
		assertThat(keys.receivedBodies()).noneMatch((body) -> body.contains(code));
	}

	@ParameterizedTest
	@CsvSource({ "BAD_SIGNATURE, BAD_SIGNATURE", "ALTERED_BODY, BAD_SIGNATURE", "STALE_TIMESTAMP, STALE_TIMESTAMP",
			"FOREIGN_SERIAL, UNKNOWN_SERIAL", "FOREIGN_APPID, FOREIGN_APPID", "WRONG_SYMMETRIC_KEY, UNDECRYPTABLE",
			"PAYLOAD_APPID, PAYLOAD_MISMATCH", "PAYLOAD_TIMESTAMP, PAYLOAD_MISMATCH", "PLAINTEXT, UNSIGNED" })
	void refusesEveryTamperedAnswerWithATypedErrorAndNoNumber(ApiSecurityTampering tampering, Reason reason) {
		WeChatMiniAppClient client = securedClient(Clock.systemUTC());
		WeChatSandboxUser user = sandbox.createUser();
		String accessToken = client.fetchStableAccessToken(false).value();
		keys.tamperNextAnswer(tampering);
		ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
			.getLogger(WeChatApiSecurity.class);
		ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events = new ch.qos.logback.core.read.ListAppender<>();
		events.start();
		logger.addAppender(events);
		try {
			assertThatExceptionOfType(WeChatApiSecurityException.class)
				.isThrownBy(() -> client.getUserPhoneNumber(accessToken, sandbox.phoneCode(user)))
				.satisfies((ex) -> {
					assertThat(ex.reason()).isEqualTo(reason);
					assertThat(ex.api()).isEqualTo(WeChatApi.GET_USER_PHONE_NUMBER);
					assertThat(ex.getMessage())
						.startsWith("WeChat getuserphonenumber answer refused by the API security " + "check: "
								+ reason.description())
						.doesNotContain(user.purePhoneNumber())
						.doesNotContain(keys.symmetricKey());
				});
		}
		finally {
			logger.detachAppender(events);
		}
		assertThat(events.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
			assertThat(event.getFormattedMessage()).contains(reason.description());
		});
		assertThat(this.rejections).containsExactly(reason);
		assertThat(RecordingAppender.linesContainingAny(List.of(reason.description())))
			.anySatisfy((line) -> assertThat(line).endsWith(" for app " + sandbox.appId()));
		assertThat(RecordingAppender.linesContainingAny(List.of(user.purePhoneNumber(), keys.symmetricKey())))
			.isEmpty();
	}

	@Test
	void verifiesWithTheDeprecatedSignatureWhileWeChatRotatesToACertificateNotYetConfigured() {
		WeChatSandbox rotating = WeChatSandbox.start();
		try {
			WeChatSandboxApiSecurity rotatingKeys = rotating.enableApiSecurity();
			rotatingKeys.rotatePlatformCertificate();
			WeChatSandboxUser user = rotating.createUser();
			WeChatMiniAppClient onlyOld = client(rotating, rotatingKeys,
					Map.of(rotatingKeys.platformCertificateSn(), key(rotatingKeys.platformCertificatePem())),
					Clock.systemUTC());
			String accessToken = onlyOld.fetchStableAccessToken(false).value();
			assertThat(onlyOld.getUserPhoneNumber(accessToken, rotating.phoneCode(user)).purePhoneNumber())
				.isEqualTo(user.purePhoneNumber());
			WeChatMiniAppClient onlyNew = client(rotating, rotatingKeys,
					Map.of(rotatingKeys.nextPlatformCertificateSn(), key(rotatingKeys.nextPlatformCertificatePem())),
					Clock.systemUTC());
			assertThat(onlyNew.getUserPhoneNumber(accessToken, rotating.phoneCode(user)).purePhoneNumber())
				.isEqualTo(user.purePhoneNumber());
			// The deprecated signature is checked against its own serial's key, not the
			// current one's.
			WeChatMiniAppClient swapped = client(rotating, rotatingKeys,
					Map.of(rotatingKeys.platformCertificateSn(), key(rotatingKeys.nextPlatformCertificatePem())),
					Clock.systemUTC());
			assertThatExceptionOfType(WeChatApiSecurityException.class)
				.isThrownBy(() -> swapped.getUserPhoneNumber(accessToken, rotating.phoneCode(user)))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.BAD_SIGNATURE));
		}
		finally {
			rotating.close();
		}
	}

	@Test
	void refusesAnAnswerSignedByACertificateOnlyTheOtherClientKnows() {
		WeChatMiniAppClient unknownToUs = client(sandbox, keys,
				Map.of(keys.nextPlatformCertificateSn(), key(keys.nextPlatformCertificatePem())), Clock.systemUTC());
		String accessToken = unknownToUs.fetchStableAccessToken(false).value();
		assertThatExceptionOfType(WeChatApiSecurityException.class)
			.isThrownBy(() -> unknownToUs.getUserPhoneNumber(accessToken, sandbox.phoneCode(sandbox.createUser())))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo(Reason.UNKNOWN_SERIAL);
				assertThat(ex.getMessage()).contains("serial " + keys.platformCertificateSn());
			});
	}

	@Test
	void theReplayWindowHoldsInBothDirections() {
		WeChatSandboxUser user = sandbox.createUser();
		String accessToken = securedClient(Clock.systemUTC()).fetchStableAccessToken(false).value();
		Instant now = Instant.now();
		// A request's own timestamp comes from the same clock, so the sandbox's 5 minutes
		// bound the skew tested.
		WeChatMiniAppClient slightlyAhead = securedClient(Clock.fixed(now.plusSeconds(250), ZoneOffset.UTC),
				Duration.ofSeconds(300));
		assertThat(slightlyAhead.getUserPhoneNumber(accessToken, sandbox.phoneCode(user)).purePhoneNumber())
			.isEqualTo(user.purePhoneNumber());
		WeChatMiniAppClient behind = securedClient(Clock.fixed(now.minusSeconds(250), ZoneOffset.UTC),
				Duration.ofSeconds(200));
		assertThatExceptionOfType(WeChatApiSecurityException.class)
			.isThrownBy(() -> behind.getUserPhoneNumber(accessToken, sandbox.phoneCode(user)))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.STALE_TIMESTAMP));
		WeChatMiniAppClient ahead = securedClient(Clock.fixed(now.plusSeconds(250), ZoneOffset.UTC),
				Duration.ofSeconds(200));
		assertThatExceptionOfType(WeChatApiSecurityException.class)
			.isThrownBy(() -> ahead.getUserPhoneNumber(accessToken, sandbox.phoneCode(user)))
			.satisfies((ex) -> assertThat(ex.getMessage()).containsPattern("\\((24[0-9]|250) s from now\\)"));
	}

	@Test
	void anUnsignedRequestIsRefusedByTheSandbox() {
		WeChatMiniAppClient plain = WeChatMiniAppClientTests.client(sandbox.baseUrl(), sandbox.appSecret());
		WeChatSandboxUser user = sandbox.createUser();
		String accessToken = plain.fetchStableAccessToken(false).value();
		assertThatExceptionOfType(WeChatApiException.class)
			.isThrownBy(() -> plain.getUserPhoneNumber(accessToken, sandbox.phoneCode(user)))
			.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(40233));
	}

	@Test
	void aWrongAppKeyIsReportedWithWeChatsUnsignedErrcode() throws Exception {
		java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		WeChatApiSecurity wrongKey = new WeChatApiSecurity(sandbox.baseUrl(), sandbox.appId(),
				Base64.getDecoder().decode(keys.symmetricKey()), keys.symmetricKeySn(),
				generator.generateKeyPair().getPrivate(),
				Map.of(keys.platformCertificateSn(), key(keys.platformCertificatePem())), Duration.ofMinutes(5),
				Clock.systemUTC(), (appId, api, reason) -> this.rejections.add(reason));
		WeChatMiniAppClient client = plainClient(sandbox).withApiSecurity(wrongKey);
		String accessToken = client.fetchStableAccessToken(false).value();
		assertThatExceptionOfType(WeChatApiSecurityException.class)
			.isThrownBy(() -> client.getUserPhoneNumber(accessToken, sandbox.phoneCode(sandbox.createUser())))
			.satisfies((ex) -> {
				assertThat(ex.reason()).isEqualTo(Reason.UNSIGNED);
				assertThat(ex.getMessage()).endsWith("(errcode 40234)");
			});
	}

	@Test
	void otherApisAreUnchanged() {
		WeChatMiniAppClient client = securedClient(Clock.systemUTC());
		WeChatSandboxUser user = sandbox.createUser();
		assertThat(client.code2Session(sandbox.loginCode(user)).openid()).isEqualTo(user.openid());
		assertThat(client.withCredentials(sandbox.appId(), sandbox.appSecret()).fetchStableAccessToken(false).value())
			.isNotEmpty();
	}

	@Test
	void isOnlyForItsOwnApp() {
		WeChatApiSecurity security = security(sandbox, keys,
				Map.of(keys.platformCertificateSn(), key(keys.platformCertificatePem())), Clock.systemUTC(),
				Duration.ofMinutes(5));
		WeChatMiniAppClient other = plainClient(sandbox).withCredentials("wx00000000000000aa", sandbox.appSecret());
		assertThatIllegalArgumentException().isThrownBy(() -> other.withApiSecurity(security))
			.withMessage("apiSecurity must be for app wx00000000000000aa");
	}

	@Test
	void toStringShowsNumbersNeverKeys() {
		WeChatApiSecurity security = security(sandbox, keys,
				Map.of(keys.platformCertificateSn(), key(keys.platformCertificatePem())), Clock.systemUTC(),
				Duration.ofMinutes(5));
		assertThat(security.toString())
			.contains(sandbox.appId(), keys.symmetricKeySn(), keys.platformCertificateSn(), "PT5M")
			.doesNotContain(keys.symmetricKey());
	}

	@Test
	void refusesIncompleteSettings() {
		byte[] key = Base64.getDecoder().decode(keys.symmetricKey());
		java.security.PrivateKey privateKey = PemKeys.rsaPrivateKey(keys.appPrivateKeyPem());
		Map<String, PublicKey> platform = Map.of(keys.platformCertificateSn(), key(keys.platformCertificatePem()));
		Clock clock = Clock.systemUTC();
		ApiSecurityRejectionListener none = ApiSecurityRejectionListener.NONE;
		assertThatIllegalArgumentException().isThrownBy(() -> new WeChatApiSecurity("", "wx1", key, "sn", privateKey,
				platform, Duration.ofMinutes(5), clock, none));
		assertThatIllegalArgumentException().isThrownBy(() -> new WeChatApiSecurity("http://h", "", key, "sn",
				privateKey, platform, Duration.ofMinutes(5), clock, none));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WeChatApiSecurity("http://h", "wx1", new byte[16], "sn", privateKey, platform,
					Duration.ofMinutes(5), clock, none))
			.withMessage("symmetricKey must be 32 bytes");
		assertThatIllegalArgumentException().isThrownBy(() -> new WeChatApiSecurity("http://h", "wx1", null, "sn",
				privateKey, platform, Duration.ofMinutes(5), clock, none));
		assertThatIllegalArgumentException().isThrownBy(() -> new WeChatApiSecurity("http://h", "wx1", key, " ",
				privateKey, platform, Duration.ofMinutes(5), clock, none));
		assertThatIllegalArgumentException().isThrownBy(() -> new WeChatApiSecurity("http://h", "wx1", key, "sn", null,
				platform, Duration.ofMinutes(5), clock, none));
		assertThatIllegalArgumentException().isThrownBy(() -> new WeChatApiSecurity("http://h", "wx1", key, "sn",
				privateKey, Map.of(), Duration.ofMinutes(5), clock, none));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new WeChatApiSecurity("http://h", "wx1", key, "sn", privateKey, platform, Duration.ZERO,
					clock, none))
			.withMessage("replayWindow must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> new WeChatApiSecurity("http://h", "wx1", key, "sn",
				privateKey, platform, Duration.ofSeconds(-1), clock, none));
		assertThatIllegalArgumentException().isThrownBy(
				() -> new WeChatApiSecurity("http://h", "wx1", key, "sn", privateKey, platform, null, clock, none));
		assertThatIllegalArgumentException().isThrownBy(() -> new WeChatApiSecurity("http://h", "wx1", key, "sn",
				privateKey, platform, Duration.ofMinutes(5), null, none));
		assertThatIllegalArgumentException().isThrownBy(() -> new WeChatApiSecurity("http://h", "wx1", key, "sn",
				privateKey, platform, Duration.ofMinutes(5), clock, null));
		// The key is copied: changing the caller's array afterwards changes nothing.
		byte[] copy = key.clone();
		WeChatApiSecurity security = new WeChatApiSecurity(sandbox.baseUrl() + "/", sandbox.appId(), copy,
				keys.symmetricKeySn(), privateKey, platform, Duration.ofMinutes(5), clock, none);
		copy[0] ^= 1;
		WeChatMiniAppClient client = plainClient(sandbox).withApiSecurity(security);
		WeChatSandboxUser user = sandbox.createUser();
		String accessToken = client.fetchStableAccessToken(false).value();
		assertThat(client.getUserPhoneNumber(accessToken, sandbox.phoneCode(user)).purePhoneNumber())
			.isEqualTo(user.purePhoneNumber());
	}

	private WeChatMiniAppClient securedClient(Clock clock) {
		return securedClient(clock, Duration.ofMinutes(5));
	}

	private WeChatMiniAppClient securedClient(Clock clock, Duration replayWindow) {
		return plainClient(sandbox).withApiSecurity(security(sandbox, keys,
				Map.of(keys.platformCertificateSn(), key(keys.platformCertificatePem())), clock, replayWindow));
	}

	private WeChatMiniAppClient client(WeChatSandbox server, WeChatSandboxApiSecurity serverKeys,
			Map<String, PublicKey> platformKeys, Clock clock) {
		return plainClient(server)
			.withApiSecurity(security(server, serverKeys, platformKeys, clock, Duration.ofMinutes(5)));
	}

	private WeChatApiSecurity security(WeChatSandbox server, WeChatSandboxApiSecurity serverKeys,
			Map<String, PublicKey> platformKeys, Clock clock, Duration replayWindow) {
		return new WeChatApiSecurity(server.baseUrl(), server.appId(),
				Base64.getDecoder().decode(serverKeys.symmetricKey()), serverKeys.symmetricKeySn(),
				PemKeys.rsaPrivateKey(serverKeys.appPrivateKeyPem()), platformKeys, replayWindow, clock,
				(appId, api, reason) -> this.rejections.add(reason));
	}

	private static WeChatMiniAppClient plainClient(WeChatSandbox server) {
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build());
		requestFactory.setReadTimeout(Duration.ofSeconds(2));
		RestClient restClient = RestClient.builder().baseUrl(server.baseUrl()).requestFactory(requestFactory).build();
		return new WeChatMiniAppClient(restClient, server.appId(), server.appSecret(), NO_RETRY);
	}

	private static PublicKey key(String certificatePem) {
		return PemKeys.rsaCertificate(certificatePem).getPublicKey();
	}

}
