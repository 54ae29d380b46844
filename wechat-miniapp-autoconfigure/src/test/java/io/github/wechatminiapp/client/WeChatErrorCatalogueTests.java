package io.github.wechatminiapp.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.wechatminiapp.client.WeChatApiException.Category;
import io.github.wechatminiapp.test.Fault;
import io.github.wechatminiapp.test.RecordingAppender;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every errcode of the APIs the starter calls, answered by {@link WeChatSandbox} on
 * loopback, arrives as a {@link WeChatApiException} of the right category, with its rid,
 * and is logged with errcode, errmsg and rid.
 */
@ExtendWith(OutputCaptureExtension.class)
class WeChatErrorCatalogueTests {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private static final String RID = "[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}";

	private final WeChatMiniAppClient client = new WeChatMiniAppClient(
			RestClient.builder().baseUrl(sandbox.baseUrl()).build(), sandbox.appId(), sandbox.appSecret(),
			new RetrySettings(3, Duration.ofMillis(1), Duration.ofMillis(5), 2));

	@BeforeEach
	void reset() {
		sandbox.clearFaults();
		sandbox.resetCounts();
	}

	/**
	 * The codes the official pages list for each API, and the other codes seen on them
	 * (wechat-api.md).
	 */
	static Stream<Arguments> officialCodes() {
		return Stream.of(
				// jscode2session
				Arguments.of(WeChatEndpoint.JSCODE2SESSION, -1, Category.RETRY),
				Arguments.of(WeChatEndpoint.JSCODE2SESSION, 40029, Category.CLIENT),
				Arguments.of(WeChatEndpoint.JSCODE2SESSION, 40163, Category.CLIENT),
				Arguments.of(WeChatEndpoint.JSCODE2SESSION, 45011, Category.RETRY),
				Arguments.of(WeChatEndpoint.JSCODE2SESSION, 40226, Category.CLIENT),
				Arguments.of(WeChatEndpoint.JSCODE2SESSION, 40013, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.JSCODE2SESSION, 40125, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.JSCODE2SESSION, 40164, Category.CONFIGURATION),
				// token: 40001 there is a wrong secret, not a stale token
				Arguments.of(WeChatEndpoint.TOKEN, 40001, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.TOKEN, 40002, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.TOKEN, 40013, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.TOKEN, 40125, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.TOKEN, 40164, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.TOKEN, 40243, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.TOKEN, 41004, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.TOKEN, 50004, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.TOKEN, 50007, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.TOKEN, 61024, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.TOKEN, 89501, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.TOKEN, 89503, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.TOKEN, 89506, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.TOKEN, 89507, Category.CONFIGURATION),
				// stable_token
				Arguments.of(WeChatEndpoint.STABLE_TOKEN, 40001, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.STABLE_TOKEN, 40014, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.STABLE_TOKEN, 40002, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.STABLE_TOKEN, 40013, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.STABLE_TOKEN, 40125, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.STABLE_TOKEN, 40164, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.STABLE_TOKEN, 40243, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.STABLE_TOKEN, 41002, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.STABLE_TOKEN, 41004, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.STABLE_TOKEN, 43002, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.STABLE_TOKEN, 45009, Category.RETRY),
				Arguments.of(WeChatEndpoint.STABLE_TOKEN, 45011, Category.RETRY),
				Arguments.of(WeChatEndpoint.STABLE_TOKEN, 47001, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.STABLE_TOKEN, 89503, Category.CONFIGURATION),
				// getuserphonenumber (unbound)
				Arguments.of(WeChatEndpoint.GET_USER_PHONE_NUMBER, 40029, Category.CLIENT),
				Arguments.of(WeChatEndpoint.GET_USER_PHONE_NUMBER, 45011, Category.RETRY),
				Arguments.of(WeChatEndpoint.GET_USER_PHONE_NUMBER, 40013, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.GET_USER_PHONE_NUMBER, 40001, Category.TOKEN),
				Arguments.of(WeChatEndpoint.GET_USER_PHONE_NUMBER, 40014, Category.TOKEN),
				Arguments.of(WeChatEndpoint.GET_USER_PHONE_NUMBER, 42001, Category.TOKEN),
				Arguments.of(WeChatEndpoint.GET_USER_PHONE_NUMBER, 48001, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.GET_USER_PHONE_NUMBER, 47001, Category.CONFIGURATION),
				// checksession
				Arguments.of(WeChatEndpoint.CHECK_SESSION, 87008, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.CHECK_SESSION, 40003, Category.CLIENT),
				Arguments.of(WeChatEndpoint.CHECK_SESSION, 40001, Category.TOKEN),
				Arguments.of(WeChatEndpoint.CHECK_SESSION, 42001, Category.TOKEN),
				// resetusersessionkey
				Arguments.of(WeChatEndpoint.RESET_USER_SESSION_KEY, 87009, Category.CLIENT),
				Arguments.of(WeChatEndpoint.RESET_USER_SESSION_KEY, 87008, Category.CONFIGURATION),
				Arguments.of(WeChatEndpoint.RESET_USER_SESSION_KEY, 40003, Category.CLIENT),
				Arguments.of(WeChatEndpoint.RESET_USER_SESSION_KEY, 40014, Category.TOKEN),
				Arguments.of(WeChatEndpoint.RESET_USER_SESSION_KEY, -1, Category.RETRY),
				// unknown anywhere
				Arguments.of(WeChatEndpoint.JSCODE2SESSION, 61003, Category.UNKNOWN),
				Arguments.of(WeChatEndpoint.GET_USER_PHONE_NUMBER, 1400001, Category.UNKNOWN));
	}

	@ParameterizedTest(name = "{0} errcode {1} is {2}")
	@MethodSource("officialCodes")
	void everyOfficialCodeHasItsCategoryRidAndLogLine(WeChatEndpoint endpoint, int errcode, Category category) {
		// Busy answers are retried where resending is safe: every attempt answers the
		// same.
		for (int i = 0; i < 3; i++) {
			sandbox.enqueueFault(endpoint, Fault.errcode(errcode));
		}
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> call(endpoint)).satisfies((ex) -> {
			assertThat(ex.errcode()).isEqualTo(errcode);
			assertThat(ex.category()).isEqualTo(category);
			assertThat(ex.isRetryable()).isEqualTo(category == Category.RETRY);
			assertThat(ex.rid()).hasValueSatisfying((rid) -> assertThat(rid).matches(RID));
			assertThat(ex.errmsg()).endsWith("rid: " + ex.rid().get());
			assertThat(ex.getMessage()).contains("errcode=" + errcode, "category=" + category, "rid=" + ex.rid().get(),
					ex.errmsg());
			assertThat(RecordingAppender.lines()).filteredOn((line) -> line.contains(ex.rid().get()))
				.singleElement()
				.satisfies((line) -> assertThat(line).contains("errcode=" + errcode, ex.errmsg()));
			if (errcode != 1400001 && errcode != 61003) {
				assertThat(ex.errorCode()).isPresent();
			}
		});
	}

	@Test
	void everyCatalogueCodeHasACategoryAndTheRetryCodesAWait() {
		assertThat(WeChatErrorCode.values()).allSatisfy((code) -> {
			assertThat(code.category()).isNotNull().isNotEqualTo(Category.UNKNOWN);
			assertThat(code.retryAfter().isPresent()).as("%s", code).isEqualTo(code.retryable());
			assertThat(WeChatErrorCode.of(code.code())).contains(code);
		});
		assertThat(WeChatErrorCode.of(1400001)).as("a client-side errno, never a server errcode").isEmpty();
		assertThat(Arrays.stream(WeChatErrorCode.values())
			.filter(WeChatErrorCode::accessTokenRejected)
			.map(WeChatErrorCode::code)
			.collect(Collectors.toSet())).isEqualTo(Set.of(40001, 40014, 42001));
	}

	@Test
	void retryLaterRefusalsSayHowLongToWait() {
		assertThat(refusal(WeChatEndpoint.JSCODE2SESSION, -1).retryAfter()).contains(Duration.ofSeconds(5));
		assertThat(refusal(WeChatEndpoint.JSCODE2SESSION, 45011).retryAfter()).contains(Duration.ofMinutes(1));
		assertThat(refusal(WeChatEndpoint.STABLE_TOKEN, 45009).retryAfter()).contains(Duration.ofHours(1));
		assertThat(refusal(WeChatEndpoint.JSCODE2SESSION, 40029).retryAfter()).isEmpty();
		assertThat(refusal(WeChatEndpoint.STABLE_TOKEN, 40125).retryAfter()).isEmpty();
	}

	@Test
	void configurationAndUnknownRefusalsAreWarnedWithErrcodeErrmsgAndRid(CapturedOutput output) {
		WeChatApiException configuration = refusal(WeChatEndpoint.STABLE_TOKEN, 89503);
		WeChatApiException unknown = refusal(WeChatEndpoint.JSCODE2SESSION, 61003);
		WeChatApiException client = refusal(WeChatEndpoint.JSCODE2SESSION, 40029);
		assertThat(output.getOut()).containsPattern(
				"WARN .* WeChat stable_token refused: errcode=89503 \\(.*\\), " + "category=CONFIGURATION, rid="
						+ configuration.rid().get() + ", errmsg=\".*rid: " + configuration.rid().get() + "\"");
		assertThat(output.getOut()).containsPattern("WARN .* WeChat jscode2session refused: errcode=61003 "
				+ "\\(unknown errcode\\), category=UNKNOWN, rid=" + unknown.rid().get());
		assertThat(output.getOut()).as("a user's bad code is the caller's business: DEBUG")
			.doesNotContain(client.rid().get());
	}

	@Test
	void anErrmsgCannotForgeALogLineNorHideTheRidNorCarryTheSecret() {
		String forged = "bad\r\nWARN forged line " + sandbox.appSecret() + " " + "x".repeat(400);
		WeChatApiException ex = refusal(WeChatEndpoint.JSCODE2SESSION, 40029, forged);
		assertThat(ex.errmsg()).hasSize(200).doesNotContain("\r", "\n").doesNotContain(sandbox.appSecret());
		assertThat(ex.errmsg()).startsWith("bad  WARN forged line [app secret] xxx");
		assertThat(ex.getMessage()).doesNotContain("\n", sandbox.appSecret());
		assertThat(ex.rid()).as("the rid survives cutting the errmsg")
			.hasValueSatisfying((rid) -> assertThat(rid).matches(RID));
	}

	@Test
	void anErrmsgEchoingTheCodeTheTokenOrTheSignatureDoesNotCarryThemIntoLogs() {
		String code = "login-code-" + System.nanoTime();
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.errcode(40029, "invalid code " + code));
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> this.client.code2Session(code))
			.satisfies((ex) -> assertThat(ex.errmsg()).startsWith("invalid code [redacted], rid: "));
		String token = "token-" + System.nanoTime();
		String phoneCode = "phone-code-" + System.nanoTime();
		sandbox.enqueueFault(WeChatEndpoint.GET_USER_PHONE_NUMBER,
				Fault.errcode(40001, "invalid credential " + token + " for " + phoneCode));
		assertThatExceptionOfType(WeChatApiException.class)
			.isThrownBy(() -> this.client.getUserPhoneNumber(token, phoneCode))
			.satisfies((ex) -> assertThat(ex.errmsg()).startsWith("invalid credential [redacted] for [redacted]"));
		sandbox.enqueueFault(WeChatEndpoint.CHECK_SESSION, Fault.errcode(87008, "bad " + token + " or beef0123"));
		assertThatExceptionOfType(WeChatApiException.class)
			.isThrownBy(() -> this.client.checkSessionKey(token, "an-openid", "beef0123"))
			.satisfies((ex) -> assertThat(ex.errmsg()).startsWith("bad [redacted] or [redacted]"));
		sandbox.enqueueFault(WeChatEndpoint.RESET_USER_SESSION_KEY,
				Fault.errcode(87009, "bad " + token + " or beef0123 or 00"));
		assertThatExceptionOfType(WeChatApiException.class)
			.isThrownBy(() -> this.client.resetUserSessionKey(token, "an-openid", "beef0123"))
			.satisfies((ex) -> assertThat(ex.errmsg()).startsWith("bad [redacted] or [redacted] or 00"));
		sandbox.enqueueFault(WeChatEndpoint.RESET_USER_SESSION_KEY, Fault.errcode(87009, "bad 00"));
		assertThatExceptionOfType(WeChatApiException.class)
			.isThrownBy(() -> this.client.resetUserSessionKey(token, "an-openid", "00"))
			.satisfies((ex) -> {
				assertThat(ex.errmsg()).as("too short to be a secret: left alone").startsWith("bad 00, rid: ");
				assertThat(ex.rid()).hasValueSatisfying((rid) -> assertThat(rid).matches(RID));
			});
		assertThat(RecordingAppender.linesContainingAny(List.of(code, token, phoneCode))).isEmpty();
	}

	@Test
	void anErrmsgWithoutRidHasNone() {
		WeChatApiException ex = new WeChatApiException(WeChatApi.TOKEN, 40125, "invalid appsecret");
		assertThat(ex.rid()).isEmpty();
		assertThat(ex.getMessage()).contains("rid=none");
		assertThat(new WeChatApiException(WeChatApi.TOKEN, 40125, null).errmsg()).isEmpty();
		assertThat(new WeChatApiException(WeChatApi.TOKEN, 40125, null).rid()).isEmpty();
		assertThat(new WeChatApiException(WeChatApi.TOKEN, 40125, "x, rid: a\nb").rid()).contains("a");
	}

	@Test
	void aBoundPhoneCodeRefusedForAnUndocumentedReasonIsTheClientsCodeRefused() {
		String token = this.client.fetchStableAccessToken(false).value();
		String openid = sandbox.createUser().openid();
		for (int errcode : List.of(40003, 47001, 9999999)) {
			sandbox.enqueueFault(WeChatEndpoint.GET_USER_PHONE_NUMBER, Fault.errcode(errcode));
			assertThatExceptionOfType(WeChatApiException.class)
				.isThrownBy(() -> this.client.getBoundUserPhoneNumber(token, openid, "phone-code"))
				.satisfies((ex) -> {
					assertThat(ex.errcode()).isEqualTo(errcode);
					assertThat(ex.category()).isEqualTo(Category.CLIENT);
					assertThat(ex.rid()).isPresent();
				});
		}
		assertThat(sandbox.requestCount(WeChatEndpoint.GET_USER_PHONE_NUMBER)).as("never retried").isEqualTo(3);
	}

	@Test
	void aBoundPhoneCodeKeepsTheCategoryOfTokenLoadAndConfigurationRefusals() {
		String token = this.client.fetchStableAccessToken(false).value();
		String openid = sandbox.createUser().openid();
		assertBound(token, openid, 40001, Category.TOKEN);
		assertBound(token, openid, 45011, Category.RETRY);
		assertBound(token, openid, 48001, Category.CONFIGURATION);
		assertBound(token, openid, 40013, Category.CONFIGURATION);
		assertThat(refusal(WeChatEndpoint.GET_USER_PHONE_NUMBER, 9999999).category())
			.as("unbound: unknown stays unknown")
			.isEqualTo(Category.UNKNOWN);
	}

	private void assertBound(String token, String openid, int errcode, Category category) {
		sandbox.enqueueFault(WeChatEndpoint.GET_USER_PHONE_NUMBER, Fault.errcode(errcode));
		assertThatExceptionOfType(WeChatApiException.class)
			.isThrownBy(() -> this.client.getBoundUserPhoneNumber(token, openid, "phone-code"))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(category));
	}

	private WeChatApiException refusal(WeChatEndpoint endpoint, int errcode) {
		return refusal(endpoint, errcode, null);
	}

	private WeChatApiException refusal(WeChatEndpoint endpoint, int errcode, String errmsg) {
		for (int i = 0; i < 3; i++) {
			sandbox.enqueueFault(endpoint, (errmsg != null) ? Fault.errcode(errcode, errmsg) : Fault.errcode(errcode));
		}
		WeChatApiException[] thrown = new WeChatApiException[1];
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> call(endpoint))
			.satisfies((Consumer<WeChatApiException>) (ex) -> thrown[0] = ex);
		sandbox.clearFaults();
		return thrown[0];
	}

	private void call(WeChatEndpoint endpoint) {
		switch (endpoint) {
			case JSCODE2SESSION -> this.client.code2Session("a-login-code");
			case TOKEN -> this.client.fetchAccessToken();
			case STABLE_TOKEN -> this.client.fetchStableAccessToken(false);
			case GET_USER_PHONE_NUMBER -> this.client.getUserPhoneNumber("a-token", "a-phone-code");
			case CHECK_SESSION -> this.client.checkSessionKey("a-token", "an-openid", "00");
			case RESET_USER_SESSION_KEY -> this.client.resetUserSessionKey("a-token", "an-openid", "0");
		}
	}

}
