package io.github.wechatminiapp.phone;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.autoconfigure.WeChatMiniAppAutoConfiguration;
import io.github.wechatminiapp.autoconfigure.WeChatMiniAppObservabilityAutoConfiguration;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.opendata.Refusal;
import io.github.wechatminiapp.session.SessionKeyNotFoundException;
import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Decryption that survives session-key rotation and damaged Base64, and says why when it
 * cannot.
 */
class SessionKeyRotationIT {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class,
				WeChatMiniAppObservabilityAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues(sandbox.springPropertyValues());

	@Test
	void dataEncryptedJustBeforeARotationStillDecrypts() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = sandbox.createUser("13800138000", "86");
			service.login(sandbox.loginCode(user));
			// The seed's race: WeChat encrypts with K1, then wx.login inside the callback
			// rotates to K2.
			EncryptedData madeWithK1 = sandbox.encryptPhoneNumber(user);
			sandbox.rotateSessionKey(user);
			service.login(sandbox.loginCode(user));
			assertThat(service.decryptPhoneNumber(user.openid(), madeWithK1.encryptedData(), madeWithK1.iv())
				.purePhoneNumber()).isEqualTo("13800138000");
			EncryptedData madeWithK2 = sandbox.encryptPhoneNumber(user);
			assertThat(service.decryptPhoneNumber(user.openid(), madeWithK2.encryptedData(), madeWithK2.iv())
				.purePhoneNumber()).isEqualTo("13800138000");
		});
	}

	@Test
	void twoRotationsGiveTheStaleKeyReason() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = sandbox.createUser();
			service.login(sandbox.loginCode(user));
			EncryptedData madeWithK1 = sandbox.encryptPhoneNumber(user);
			sandbox.rotateSessionKey(user);
			service.login(sandbox.loginCode(user));
			sandbox.rotateSessionKey(user);
			service.login(sandbox.loginCode(user));
			Refusal ex = failure(
					() -> service.decryptPhoneNumber(user.openid(), madeWithK1.encryptedData(), madeWithK1.iv()));
			assertThat(ex.reason()).isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
			assertThat(ex.isLoginRequired()).isTrue();
			// The data was made with a key the server never saw.
			sandbox.rotateSessionKey(user);
			EncryptedData madeWithUnseenKey = sandbox.encryptPhoneNumber(user);
			assertThat(failure(() -> service.decryptPhoneNumber(user.openid(), madeWithUnseenKey.encryptedData(),
					madeWithUnseenKey.iv()))
				.reason()).isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
			assertThat(context.getBean(MeterRegistry.class)
				.get("wechat.miniapp.open-data.rejected")
				.tag("reason", "unknown_session_key")
				.counter()
				.count()).isEqualTo(2);
		});
	}

	@Test
	void eachDiagnosisHasItsReason() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = sandbox.createUser();
			Refusal noKey = failure(() -> service.decryptPhoneNumber(user.openid(), "AAAA", "AAAA"));
			assertThat(noKey.exception()).isInstanceOf(SessionKeyNotFoundException.class);
			assertThat(noKey.reason()).isEqualTo(LoginRequiredException.Reason.NO_SESSION_KEY);
			assertThat(noKey.isLoginRequired()).isTrue();
			service.login(sandbox.loginCode(user));
			sandbox.rotateSessionKey(user);
			service.login(sandbox.loginCode(user));
			EncryptedData otherApp = sandbox.encryptPhoneNumber(user, "wxffffffffffffffff", Instant.now());
			assertThat(failure(() -> service.decryptPhoneNumber(user.openid(), otherApp.encryptedData(), otherApp.iv()))
				.reason()).isEqualTo(Reason.WATERMARK_APPID_MISMATCH);
			EncryptedData old = sandbox.encryptPhoneNumber(user, sandbox.appId(), Instant.now().minusSeconds(3600));
			assertThat(failure(() -> service.decryptPhoneNumber(user.openid(), old.encryptedData(), old.iv())).reason())
				.isEqualTo(Reason.WATERMARK_EXPIRED);
			EncryptedData data = sandbox.encryptPhoneNumber(user);
			Refusal damaged = failure(() -> service.decryptPhoneNumber(user.openid(),
					data.encryptedData().replace("+", "%2B") + "*", data.iv()));
			assertThat(((OpenDataException.Reason) damaged.reason()).isDamagedInput()).isTrue();
			assertThat(damaged.isLoginRequired()).isFalse();
			assertThat(failure(() -> service.decryptPhoneNumber(user.openid(), data.encryptedData(), "short")).reason())
				.isEqualTo(Reason.ILLEGAL_IV);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "spaces", "line-breaks", "url-safe", "all" })
	void damagedBase64IsRepaired(String damage) {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = sandbox.createUser("13900000000", "86");
			service.login(sandbox.loginCode(user));
			EncryptedData data = encryptedWithPlusAndSlash(user);
			String encryptedData = damage(data.encryptedData(), damage);
			String iv = damage(data.iv(), damage);
			assertThat(service.decryptPhoneNumber(user.openid(), encryptedData, iv).purePhoneNumber())
				.isEqualTo("13900000000");
		});
	}

	@Test
	void concurrentLoginsAndDecryptionsNeverMixUsers() throws Exception {
		// The second thread's stale-key rejections pile up faster than any real user's;
		// the budget has its own tests.
		this.runner.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=1000").run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			int users = 16;
			int rounds = 8;
			CountDownLatch start = new CountDownLatch(1);
			ExecutorService pool = Executors.newFixedThreadPool(users * 2);
			try {
				List<Future<?>> work = new ArrayList<>();
				for (int u = 0; u < users; u++) {
					WeChatSandboxUser user = sandbox.createUser(String.format("136%08d", u), "86");
					service.login(sandbox.loginCode(user));
					work.add(pool.submit(() -> {
						start.await();
						for (int round = 0; round < rounds; round++) {
							EncryptedData data = sandbox.encryptPhoneNumber(user);
							sandbox.rotateSessionKey(user);
							service.login(sandbox.loginCode(user));
							assertThat(service.decryptPhoneNumber(user.openid(), data.encryptedData(), data.iv())
								.purePhoneNumber()).isEqualTo(user.purePhoneNumber());
						}
						return null;
					}));
					// A second thread reads the same user's data while the first rotates
					// and logs in.
					work.add(pool.submit(() -> {
						start.await();
						for (int round = 0; round < rounds; round++) {
							EncryptedData data = sandbox.encryptPhoneNumber(user);
							try {
								assertThat(service.decryptPhoneNumber(user.openid(), data.encryptedData(), data.iv())
									.purePhoneNumber()).isEqualTo(user.purePhoneNumber());
							}
							catch (LoginRequiredException ex) {
								// Encrypted under a key issued after our login read it: a
								// stale key, never
								// another user's number.
								assertThat(ex.reason()).isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
							}
						}
						return null;
					}));
				}
				start.countDown();
				for (Future<?> future : work) {
					future.get(60, TimeUnit.SECONDS);
				}
			}
			finally {
				pool.shutdownNow();
			}
		});
	}

	@Test
	void checkSessionKeyAsksWeChatWhetherTheStoredKeyIsCurrent() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = sandbox.createUser();
			assertThatExceptionOfType(SessionKeyNotFoundException.class)
				.isThrownBy(() -> service.checkSessionKey(user.openid()));
			service.login(sandbox.loginCode(user));
			assertThat(service.checkSessionKey(user.openid())).isTrue();
			sandbox.rotateSessionKey(user);
			assertThat(service.checkSessionKey(user.openid())).isFalse();
		});
	}

	/** A payload whose Base64 has both + and /, so every kind of damage changes it. */
	private static EncryptedData encryptedWithPlusAndSlash(WeChatSandboxUser user) {
		for (int attempt = 0; attempt < 200; attempt++) {
			EncryptedData data = sandbox.encryptPhoneNumber(user);
			String both = data.encryptedData() + data.iv();
			if (data.encryptedData().contains("+") && data.encryptedData().contains("/") && data.iv().contains("+")
					&& both.contains("/")) {
				return data;
			}
		}
		throw new AssertionError("no payload with + and / in 200 attempts");
	}

	private static String damage(String base64, String damage) {
		return switch (damage) {
			case "spaces" -> base64.replace('+', ' ');
			case "line-breaks" -> base64.replaceAll("(.{8})", "$1\r\n");
			case "url-safe" -> base64.replace('+', '-').replace('/', '_');
			case "all" -> damage(damage(base64, "spaces"), "line-breaks").replace('/', '_');
			default -> throw new IllegalArgumentException(damage);
		};
	}

	private static Refusal failure(Runnable decryption) {
		return Refusal.of(decryption);
	}

}
