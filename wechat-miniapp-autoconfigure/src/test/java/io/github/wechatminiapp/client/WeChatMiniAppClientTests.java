package io.github.wechatminiapp.client;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.crypto.OpenDataSignatures;
import io.github.wechatminiapp.test.Fault;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.testsupport.OfflineClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client against {@link WeChatSandbox}, a real HTTP server on loopback.
 */
class WeChatMiniAppClientTests {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private static final RetrySettings FAST_RETRY = new RetrySettings(3, Duration.ofMillis(1), Duration.ofMillis(5), 2);

	private final WeChatMiniAppClient client = client(sandbox.baseUrl(), sandbox.appSecret());

	@BeforeEach
	void reset() {
		sandbox.clearFaults();
		sandbox.resetCounts();
	}

	static WeChatMiniAppClient client(String baseUrl, String secret) {
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build());
		requestFactory.setReadTimeout(Duration.ofMillis(500));
		RestClient restClient = RestClient.builder().baseUrl(baseUrl).requestFactory(requestFactory).build();
		return new WeChatMiniAppClient(restClient, sandbox.appId(), secret, FAST_RETRY);
	}

	@Test
	void aBinaryCallThatCannotConnectIsAnIoErrorNamingOnlyTheCausesType() {
		assertThatExceptionOfType(WeChatCommunicationException.class)
			.isThrownBy(() -> OfflineClients.client(sandbox.appId())
				.postForBytes(WeChatEndpoint.GET_WXACODE_UNLIMIT.path(), "a-token", Map.of("scene", "a=1")))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(WeChatCommunicationException.Kind.IO_ERROR);
				// The JDK's client says ClosedChannelException or ConnectException.
				assertThat(ex.getMessage()).matches(".*I/O error \\(\\w+Exception\\)")
					.doesNotContain("127.0.0.1")
					.doesNotContain("a-token");
			});
	}

	@Test
	void aBinaryCallThatTimesOutIsATimeout() {
		sandbox.enqueueFault(WeChatEndpoint.GET_WXACODE_UNLIMIT, Fault.delay(Duration.ofSeconds(2)));
		String token = this.client.fetchAccessToken().value();
		assertThatExceptionOfType(WeChatCommunicationException.class)
			.isThrownBy(() -> this.client.postForBytes(WeChatEndpoint.GET_WXACODE_UNLIMIT.path(), token,
					Map.of("scene", "a=1")))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(WeChatCommunicationException.Kind.TIMEOUT));
	}

	@Test
	void code2SessionReadsTheTextPlainAnswer() {
		WeChatSandboxUser user = sandbox.createUser();
		Code2Session session = this.client.code2Session(sandbox.loginCode(user));
		assertThat(session.openid()).isEqualTo(user.openid());
		assertThat(session.unionid()).isEqualTo(user.unionid());
		assertThat(session.sessionKey()).isEqualTo(sandbox.sessionKey(user));
		assertThat(session.toString()).contains(user.openid()).doesNotContain(sandbox.sessionKey(user));
	}

	@Test
	void usedCodeIsAWeChatApiExceptionWithItsErrcode() {
		WeChatSandboxUser user = sandbox.createUser();
		String code = sandbox.loginCode(user);
		this.client.code2Session(code);
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> this.client.code2Session(code))
			.satisfies((ex) -> {
				assertThat(ex.api()).isEqualTo(WeChatApi.JSCODE2SESSION);
				assertThat(ex.errcode()).isEqualTo(40163);
				assertThat(ex.errorCode()).contains(WeChatErrorCode.CODE_USED);
				assertThat(ex.isRetryable()).isFalse();
				assertThat(ex.getMessage()).contains("jscode2session", "40163").doesNotContain(sandbox.appSecret());
			});
	}

	@Test
	void unknownCodeIs40029() {
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> this.client.code2Session("nope"))
			.satisfies((ex) -> assertThat(ex.errorCode()).contains(WeChatErrorCode.INVALID_CODE));
	}

	@Test
	void wrongSecretIs40125AndTheSecretStaysOutOfTheMessage() {
		String wrongSecret = "ffffffffffffffffffffffffffffffff";
		WeChatMiniAppClient misconfigured = client(sandbox.baseUrl(), wrongSecret);
		assertThatExceptionOfType(WeChatApiException.class)
			.isThrownBy(() -> misconfigured.code2Session(sandbox.loginCode(sandbox.createUser())))
			.satisfies((ex) -> {
				assertThat(ex.errorCode()).contains(WeChatErrorCode.INVALID_APP_SECRET);
				assertThat(ex.getMessage()).doesNotContain(wrongSecret);
			});
	}

	@ParameterizedTest
	@ValueSource(ints = { 45011, 40226 })
	void loginRefusalsAreNotRetried(int errcode) {
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.errcode(errcode));
		String code = sandbox.loginCode(sandbox.createUser());
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> this.client.code2Session(code))
			.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(errcode));
		assertThat(sandbox.requestCount(WeChatEndpoint.JSCODE2SESSION)).isEqualTo(1);
	}

	@Test
	void busyLoginIsNotResentBecauseALoginCodeIsNeverSentTwice() {
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.errcode(-1));
		String code = sandbox.loginCode(sandbox.createUser());
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> this.client.code2Session(code))
			.satisfies((ex) -> assertThat(ex.isRetryable()).isTrue());
		assertThat(sandbox.receivedJsCodes()).containsExactly(code);
	}

	@Test
	void busyTokenIsRetriedWithBackoff() {
		sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(-1));
		sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(-1));
		assertThat(this.client.fetchStableAccessToken(false).value()).isNotEmpty();
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(3);
	}

	@Test
	void busyRetriesAreBounded() {
		for (int i = 0; i < 5; i++) {
			sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(-1));
		}
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> this.client.fetchStableAccessToken(false))
			.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(-1));
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(FAST_RETRY.maxAttempts());
	}

	@Test
	void stableTokenIsSharedUntilForcedToRefresh() {
		AccessToken first = this.client.fetchStableAccessToken(false);
		assertThat(this.client.fetchStableAccessToken(false).value()).isEqualTo(first.value());
		assertThat(first.expiresIn()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(7200));
		assertThat(this.client.fetchStableAccessToken(true).value()).isNotEqualTo(first.value());
		assertThat(first.toString()).doesNotContain(first.value());
	}

	@Test
	void legacyTokenEndpointIssuesANewTokenEachCall() {
		assertThat(this.client.fetchAccessToken().value()).isNotEqualTo(this.client.fetchAccessToken().value());
	}

	@Test
	void phoneNumberReadsCountryCodeAsWeChatSendsIt() {
		WeChatSandboxUser user = sandbox.createUser("13800138000", "86");
		String token = this.client.fetchStableAccessToken(false).value();
		PhoneInfo info = this.client.getUserPhoneNumber(token, sandbox.phoneCode(user));
		assertThat(info.purePhoneNumber()).isEqualTo("13800138000");
		assertThat(info.phoneNumber()).isEqualTo("13800138000");
		assertThat(info.countryCode()).isEqualTo("86");
		assertThat(info.watermark().appId()).isEqualTo(sandbox.appId());
		assertThat(info.watermark().timestamp()).isNotNull();
		assertThat(info.toString()).doesNotContain("13800138000").contains("8000");
	}

	@Test
	void aPhoneCodeSentWithItsOwnersOpenidIsExchangedAndWithAnyOtherIs40003() {
		WeChatSandboxUser owner = sandbox.createUser("13800138001", "86");
		WeChatSandboxUser other = sandbox.createUser();
		String token = this.client.fetchStableAccessToken(false).value();
		String code = sandbox.phoneCode(owner);
		assertThatExceptionOfType(WeChatApiException.class)
			.isThrownBy(() -> this.client.getBoundUserPhoneNumber(token, other.openid(), code))
			.satisfies((ex) -> {
				assertThat(ex.api()).isEqualTo(WeChatApi.GET_USER_PHONE_NUMBER);
				assertThat(ex.errorCode()).contains(WeChatErrorCode.INVALID_OPENID);
				assertThat(ex.getMessage()).doesNotContain(token).doesNotContain(code);
			});
		assertThat(this.client.getBoundUserPhoneNumber(token, owner.openid(), code).purePhoneNumber())
			.isEqualTo("13800138001");
	}

	@Test
	void aMalformedOpenidOrPhoneCodeIsRejectedBeforeAnythingIsSent() {
		String token = this.client.fetchStableAccessToken(false).value();
		String code = sandbox.phoneCode(sandbox.createUser());
		for (String openid : new String[] { null, "", "o with space", "o".repeat(129) }) {
			assertThatExceptionOfType(InvalidInputException.class).as("%s", openid)
				.isThrownBy(() -> this.client.getBoundUserPhoneNumber(token, openid, code))
				.withMessageStartingWith("openid");
		}
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> this.client.getBoundUserPhoneNumber(token, "o-fine", "bad code"))
			.withMessageStartingWith("phone code");
		assertThat(sandbox.requestCount(WeChatEndpoint.GET_USER_PHONE_NUMBER)).isZero();
	}

	@Test
	void phoneInfoShowsOnlyTheLastDigits() {
		PhoneInfo info = new PhoneInfo("+1 2025550123", "2025550123", "1", null);
		assertThat(info).hasToString(
				"PhoneInfo[phoneNumber=*********0123, purePhoneNumber=******0123, countryCode=1, " + "watermark=null]");
		assertThat(PhoneInfo.mask(null)).isNull();
		assertThat(PhoneInfo.mask("123")).isEqualTo("**3");
	}

	@Test
	void revokedTokenIs40001() {
		String token = this.client.fetchStableAccessToken(false).value();
		sandbox.revokeAccessTokens();
		assertThatExceptionOfType(WeChatApiException.class)
			.isThrownBy(() -> this.client.getUserPhoneNumber(token, sandbox.phoneCode(sandbox.createUser())))
			.satisfies((ex) -> {
				assertThat(ex.errorCode()).contains(WeChatErrorCode.INVALID_CREDENTIAL);
				assertThat(ex.getMessage()).doesNotContain(token);
			});
	}

	@Test
	void checkSessionKeyTellsCurrentFromStale() {
		WeChatSandboxUser user = sandbox.createUser();
		Code2Session session = this.client.code2Session(sandbox.loginCode(user));
		String token = this.client.fetchStableAccessToken(false).value();
		String signature = OpenDataSignatures.sessionKeySignature(session.sessionKey());
		assertThat(this.client.checkSessionKey(token, user.openid(), signature)).isTrue();
		sandbox.rotateSessionKey(user);
		assertThat(this.client.checkSessionKey(token, user.openid(), signature)).isFalse();
	}

	@Test
	void resetUserSessionKeyReturnsTheNewKey() {
		WeChatSandboxUser user = sandbox.createUser();
		Code2Session session = this.client.code2Session(sandbox.loginCode(user));
		String token = this.client.fetchStableAccessToken(false).value();
		Code2Session reset = this.client.resetUserSessionKey(token, user.openid(),
				OpenDataSignatures.sessionKeySignature(session.sessionKey()));
		assertThat(reset.openid()).isEqualTo(user.openid());
		assertThat(reset.sessionKey()).isEqualTo(sandbox.sessionKey(user)).isNotEqualTo(session.sessionKey());
	}

	@Test
	void httpErrorStatusIsACommunicationFailure() {
		sandbox.enqueueFault(WeChatEndpoint.GET_USER_PHONE_NUMBER, Fault.httpStatus(502));
		String token = this.client.fetchStableAccessToken(false).value();
		assertThatExceptionOfType(WeChatCommunicationException.class)
			.isThrownBy(() -> this.client.getUserPhoneNumber(token, sandbox.phoneCode(sandbox.createUser())))
			.withMessageContaining("502")
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(token));
	}

	@Test
	void malformedAndEmptyAnswersAreCommunicationFailures() {
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.malformedBody());
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.emptyBody());
		WeChatSandboxUser user = sandbox.createUser();
		assertThatExceptionOfType(WeChatCommunicationException.class)
			.isThrownBy(() -> this.client.code2Session(sandbox.loginCode(user)))
			.withMessageContaining("not JSON");
		assertThatExceptionOfType(WeChatCommunicationException.class)
			.isThrownBy(() -> this.client.code2Session(sandbox.loginCode(user)))
			.withMessageContaining("empty");
	}

	@Test
	void readTimeoutFailsWithoutResendingTheLoginCode() {
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.delay(Duration.ofSeconds(2)));
		String code = sandbox.loginCode(sandbox.createUser());
		assertThatExceptionOfType(WeChatCommunicationException.class).isThrownBy(() -> this.client.code2Session(code))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("I/O error")
				.doesNotContain(sandbox.appSecret())
				.doesNotContain(code)
				.doesNotContain("127.0.0.1"));
		assertThat(sandbox.receivedJsCodes()).containsExactly(code);
	}

	@Test
	void connectionRefusedIsACommunicationFailureWithoutTheUrl() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		WeChatMiniAppClient unreachable = client("http://127.0.0.1:" + closedPort, sandbox.appSecret());
		assertThatExceptionOfType(WeChatCommunicationException.class)
			.isThrownBy(() -> unreachable.code2Session("some-code"))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).doesNotContain(sandbox.appSecret()).doesNotContain("some-code");
				for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
					assertThat(String.valueOf(cause.getMessage())).doesNotContain(sandbox.appSecret());
				}
			});
	}

	@Test
	void malformedCodesAreRejectedBeforeAnythingIsSent() {
		for (String code : new String[] { null, "", " ", "code with space", "码", "a".repeat(129), "x\u0000y" }) {
			assertThatExceptionOfType(InvalidInputException.class).as("%s", code)
				.isThrownBy(() -> this.client.code2Session(code));
		}
		assertThat(sandbox.requestCount(WeChatEndpoint.JSCODE2SESSION)).isZero();
	}

}
