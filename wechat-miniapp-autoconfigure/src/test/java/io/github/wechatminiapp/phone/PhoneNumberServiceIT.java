package io.github.wechatminiapp.phone;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.autoconfigure.WeChatMiniAppAutoConfiguration;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatErrorCode;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.opendata.Refusal;
import io.github.wechatminiapp.session.SessionKeyNotFoundException;
import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.Fault;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.token.AccessTokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Whole flows through a Spring context against {@link WeChatSandbox}. Every secret the
 * run handles is collected, and no log line or exception message may contain one.
 */
@ExtendWith(OutputCaptureExtension.class)
class PhoneNumberServiceIT {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private static final Set<String> secrets = ConcurrentHashMap.newKeySet();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(RestClientAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
		.withPropertyValues(sandbox.springPropertyValues())
		.withPropertyValues("wechat.miniapp.retry.initial-backoff=5ms");

	@BeforeEach
	void reset() {
		sandbox.clearFaults();
		sandbox.resetCounts();
		secrets.add(sandbox.appSecret());
	}

	@AfterEach
	void noSecretInTheOutput(CapturedOutput output) {
		assertThat(secrets).allSatisfy((secret) -> assertThat(output.getAll()).doesNotContain(secret));
	}

	@Test
	void loginThenDecryptPhoneNumber() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = user("13800138000");
			MiniAppLogin login = service.login(sandbox.loginCode(user));
			assertThat(login).isEqualTo(new MiniAppLogin(service.appId(), user.openid(), user.unionid()));
			remember(sandbox.sessionKey(user));
			EncryptedData data = sandbox.encryptPhoneNumber(user);
			PhoneNumber phone = service.decryptPhoneNumber(login.openid(), data.encryptedData(), data.iv());
			assertThat(phone).isEqualTo(new PhoneNumber("13800138000", "13800138000", "86"));
			assertThat(phone.toString()).doesNotContain("13800138000");
		});
	}

	@Test
	void loginThenPhoneCode() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = user("13912345678");
			service.login(sandbox.loginCode(user));
			remember(sandbox.sessionKey(user));
			PhoneNumber phone = service.getPhoneNumber(sandbox.phoneCode(user));
			assertThat(phone.purePhoneNumber()).isEqualTo("13912345678");
			assertThat(phone.countryCode()).isEqualTo("86");
			rememberToken(context.getBean(AccessTokenProvider.class));
		});
	}

	@Test
	void foreignNumberKeepsItsCountryCode() {
		this.runner.run((context) -> {
			WeChatSandboxUser user = sandbox.createUser("6581234567", "65");
			PhoneNumber phone = context.getBean(PhoneNumberService.class).getPhoneNumber(sandbox.phoneCode(user));
			assertThat(phone).isEqualTo(new PhoneNumber("+65 6581234567", "6581234567", "65"));
		});
	}

	@Test
	void staleSessionKeyAfterRotationAsksForANewLogin() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = user("13800000001");
			service.login(sandbox.loginCode(user));
			remember(sandbox.sessionKey(user));
			remember(sandbox.rotateSessionKey(user));
			EncryptedData data = sandbox.encryptPhoneNumber(user);
			Refusal ex = decryptFailure(service, user.openid(), data);
			assertThat(ex.reason()).isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
			assertThat(ex.isLoginRequired()).isTrue();
			// Logging in again picks up the rotated key.
			service.login(sandbox.loginCode(user));
			assertThat(service.decryptPhoneNumber(user.openid(), data.encryptedData(), data.iv()).purePhoneNumber())
				.isEqualTo("13800000001");
		});
	}

	@Test
	void unknownUserAsksForALogin() {
		this.runner.run((context) -> {
			EncryptedData data = sandbox.encryptPhoneNumber(sandbox.createUser());
			assertThatExceptionOfType(SessionKeyNotFoundException.class)
				.isThrownBy(() -> context.getBean(PhoneNumberService.class)
					.decryptPhoneNumber("o-never-logged-in", data.encryptedData(), data.iv()));
		});
	}

	@Test
	void watermarkOfAnotherAppIsRejected() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = user("13800000002");
			service.login(sandbox.loginCode(user));
			remember(sandbox.sessionKey(user));
			EncryptedData data = sandbox.encryptPhoneNumber(user, "wxffffffffffffffff", Instant.now());
			assertThat(decryptFailure(service, user.openid(), data).reason())
				.isEqualTo(Reason.WATERMARK_APPID_MISMATCH);
		});
	}

	@Test
	void oldWatermarkIsRejectedAndTheAgeCheckCanBeTurnedOff() {
		WeChatSandboxUser user = user("13800000003");
		EncryptedData[] data = new EncryptedData[1];
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			service.login(sandbox.loginCode(user));
			remember(sandbox.sessionKey(user));
			data[0] = sandbox.encryptPhoneNumber(user, sandbox.appId(), Instant.now().minusSeconds(3600));
			assertThat(decryptFailure(service, user.openid(), data[0]).reason()).isEqualTo(Reason.WATERMARK_EXPIRED);
		});
		this.runner.withPropertyValues("wechat.miniapp.watermark.max-age=0").run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			service.login(sandbox.loginCode(user));
			assertThat(
					service.decryptPhoneNumber(user.openid(), data[0].encryptedData(), data[0].iv()).purePhoneNumber())
				.isEqualTo("13800000003");
		});
	}

	@Test
	void concurrentPhoneCodesOnAColdCacheFetchOneToken() throws Exception {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			int callers = 64;
			List<WeChatSandboxUser> users = new ArrayList<>();
			List<String> codes = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				WeChatSandboxUser user = user(String.format("139%08d", i));
				users.add(user);
				codes.add(sandbox.phoneCode(user));
			}
			CountDownLatch start = new CountDownLatch(1);
			ExecutorService pool = Executors.newFixedThreadPool(callers);
			try {
				List<Future<PhoneNumber>> results = new ArrayList<>();
				for (String code : codes) {
					results.add(pool.submit(() -> {
						start.await();
						return service.getPhoneNumber(code);
					}));
				}
				start.countDown();
				for (int i = 0; i < callers; i++) {
					assertThat(results.get(i).get(30, TimeUnit.SECONDS).purePhoneNumber())
						.isEqualTo(users.get(i).purePhoneNumber());
				}
			}
			finally {
				pool.shutdownNow();
			}
			assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(1);
			assertThat(sandbox.requestCount(WeChatEndpoint.TOKEN)).isZero();
			assertThat(sandbox.requestCount(WeChatEndpoint.GET_USER_PHONE_NUMBER)).isEqualTo(callers);
			rememberToken(context.getBean(AccessTokenProvider.class));
		});
	}

	@Test
	void revokedTokenIsReplacedTransparently() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			assertThat(service.getPhoneNumber(sandbox.phoneCode(user("13800000004"))).purePhoneNumber())
				.isEqualTo("13800000004");
			rememberToken(context.getBean(AccessTokenProvider.class));
			sandbox.revokeAccessTokens();
			sandbox.resetCounts();
			assertThat(service.getPhoneNumber(sandbox.phoneCode(user("13800000005"))).purePhoneNumber())
				.isEqualTo("13800000005");
			assertThat(sandbox.requestCount(WeChatEndpoint.GET_USER_PHONE_NUMBER)).isEqualTo(2);
			assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(1);
			rememberToken(context.getBean(AccessTokenProvider.class));
		});
	}

	@Test
	void a40001AnswerOnceIsRecoveredTransparently() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			sandbox.enqueueFault(WeChatEndpoint.GET_USER_PHONE_NUMBER, Fault.errcode(40001));
			assertThat(service.getPhoneNumber(sandbox.phoneCode(user("13800000006"))).purePhoneNumber())
				.isEqualTo("13800000006");
			assertThat(sandbox.requestCount(WeChatEndpoint.GET_USER_PHONE_NUMBER)).isEqualTo(2);
			rememberToken(context.getBean(AccessTokenProvider.class));
		});
	}

	@Test
	void expiredTokenIsReplacedTransparently() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			service.getPhoneNumber(sandbox.phoneCode(user("13800000007")));
			sandbox.expireAccessTokens();
			assertThat(service.getPhoneNumber(sandbox.phoneCode(user("13800000008"))).purePhoneNumber())
				.isEqualTo("13800000008");
			rememberToken(context.getBean(AccessTokenProvider.class));
		});
	}

	@Test
	void busyAnswerIsRetried() {
		this.runner.run((context) -> {
			sandbox.enqueueFault(WeChatEndpoint.GET_USER_PHONE_NUMBER, Fault.errcode(-1));
			sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(-1));
			PhoneNumber phone = context.getBean(PhoneNumberService.class)
				.getPhoneNumber(sandbox.phoneCode(user("13800000009")));
			assertThat(phone.purePhoneNumber()).isEqualTo("13800000009");
			assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(2);
			assertThat(sandbox.requestCount(WeChatEndpoint.GET_USER_PHONE_NUMBER)).isEqualTo(2);
		});
	}

	@Test
	void phoneQuotaExhaustedIsATypedErrorAndNotRetried() {
		this.runner.run((context) -> {
			sandbox.enqueueFault(WeChatEndpoint.GET_USER_PHONE_NUMBER, Fault.errcode(1400001));
			String code = sandbox.phoneCode(user("13800000010"));
			assertThatExceptionOfType(WeChatApiException.class)
				.isThrownBy(() -> context.getBean(PhoneNumberService.class).getPhoneNumber(code))
				.satisfies((ex) -> {
					assertThat(ex.errcode()).isEqualTo(1400001);
					assertThat(ex.isRetryable()).isFalse();
					assertNoSecret(ex);
				});
			assertThat(sandbox.requestCount(WeChatEndpoint.GET_USER_PHONE_NUMBER)).isEqualTo(1);
		});
	}

	@Test
	void usedPhoneCodeIsRefused() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			String code = sandbox.phoneCode(user("13800000011"));
			service.getPhoneNumber(code);
			assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> service.getPhoneNumber(code))
				.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(40029));
		});
	}

	@Test
	void aPhoneCodeBoundToItsUserGivesTheirNumber() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = user("13800000012");
			MiniAppLogin login = service.login(sandbox.loginCode(user));
			remember(sandbox.sessionKey(user));
			assertThat(service.getPhoneNumber(login.openid(), sandbox.phoneCode(user)))
				.isEqualTo(new PhoneNumber("13800000012", "13800000012", "86"));
		});
	}

	@Test
	void aPhoneCodePresentedForAnotherUserIsATypedErrorAndStaysItsOwners() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser victim = user("13800000013");
			WeChatSandboxUser attacker = user("13800000014");
			String victimsCode = sandbox.phoneCode(victim);
			assertThatExceptionOfType(WeChatApiException.class)
				.isThrownBy(() -> service.getPhoneNumber(attacker.openid(), victimsCode))
				.satisfies((ex) -> {
					assertThat(ex.errcode()).isEqualTo(40003);
					assertThat(ex.errmsg()).startsWith("invalid openid, rid: ");
					assertThat(ex.errorCode()).contains(WeChatErrorCode.INVALID_OPENID);
					assertThat(ex.isRetryable()).isFalse();
					assertThat(ex.getMessage()).doesNotContain("13800000013");
					assertNoSecret(ex);
				});
			// Refused, not retried, and the code is still good for the user it was issued
			// to.
			assertThat(sandbox.requestCount(WeChatEndpoint.GET_USER_PHONE_NUMBER)).isEqualTo(1);
			assertThat(service.getPhoneNumber(victim.openid(), victimsCode).purePhoneNumber()).isEqualTo("13800000013");
		});
	}

	@Test
	void aBoundPhoneCodeNeedsAValidOpenidBeforeAnythingIsSent() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			String code = sandbox.phoneCode(user("13800000015"));
			for (String openid : new String[] { null, "", " ", "o".repeat(129) }) {
				assertThatExceptionOfType(InvalidInputException.class)
					.isThrownBy(() -> service.getPhoneNumber(openid, code))
					.withMessageStartingWith("openid");
			}
			// Not even an access token was fetched for them.
			assertThat(sandbox.totalRequestCount()).isZero();
			// 128 characters pass the checks and reach WeChat, which knows no such user.
			assertThatExceptionOfType(WeChatApiException.class)
				.isThrownBy(() -> service.getPhoneNumber("o".repeat(128), code))
				.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(40003));
			assertThat(sandbox.requestCount(WeChatEndpoint.GET_USER_PHONE_NUMBER)).isEqualTo(1);
			// Characters an openid never has are refused by the client, which sends
			// nothing either.
			assertThatExceptionOfType(InvalidInputException.class)
				.isThrownBy(() -> service.getPhoneNumber("o-with space", code))
				.withMessageStartingWith("openid");
			assertThat(sandbox.requestCount(WeChatEndpoint.GET_USER_PHONE_NUMBER)).isEqualTo(1);
		});
	}

	private static WeChatSandboxUser user(String purePhoneNumber) {
		return sandbox.createUser(purePhoneNumber, "86");
	}

	private static void remember(String secret) {
		secrets.add(secret);
	}

	private static void rememberToken(AccessTokenProvider tokens) {
		secrets.add(tokens.getAccessToken());
	}

	private static Refusal decryptFailure(PhoneNumberService service, String openid, EncryptedData data) {
		Refusal refusal = Refusal.of(() -> service.decryptPhoneNumber(openid, data.encryptedData(), data.iv()));
		assertThat(refusal.exception()).hasMessage(OpenDataException.MESSAGE);
		assertNoSecret(refusal.exception());
		return refusal;
	}

	private static void assertNoSecret(WeChatMiniAppException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			String message = String.valueOf(cause.getMessage()) + cause;
			assertThat(secrets).allSatisfy((secret) -> assertThat(message).doesNotContain(secret));
		}
	}

}
