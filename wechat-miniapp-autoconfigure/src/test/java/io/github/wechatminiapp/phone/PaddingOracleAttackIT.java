package io.github.wechatminiapp.phone;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.autoconfigure.WeChatMiniAppAutoConfiguration;
import io.github.wechatminiapp.autoconfigure.WeChatMiniAppRedisAutoConfiguration;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.opendata.Refusal;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.testsupport.redis.EmbeddedRedis;
import io.github.wechatminiapp.testsupport.redis.EmbeddedRedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic CBC padding-oracle attack, run for real against
 * {@link PhoneNumberService#decryptPhoneNumber}: a logged-in attacker takes their own
 * encrypted phone payload and tries to recover one plaintext byte, the last of the first
 * block, by tampering with the iv's last byte.
 * <p>
 * The attacker has a <em>perfect</em> oracle, the rejection reason itself: the first 15
 * bytes of the first block are <code>&#123;"phoneNumber":</code> in every payload, so the
 * attacker sets them (through the iv) to {@code {}} and spaces; whenever the padding is
 * valid the plaintext is then the JSON {@code {}}, refused for its watermark
 * ({@link Reason#WATERMARK_APPID_MISMATCH}), while bad padding is refused as such.
 * Without a budget this finds the byte after about 128 tries; with one, the user's keys
 * are gone first.
 * <p>
 * A lucky attacker whose right guess comes among the first few still learns that one byte
 * (chance budget/256 a byte, while a forgery needs thousands): the payloads here are
 * picked so that the right guess does not come early, so that the budget, not luck,
 * decides the outcome.
 */
class PaddingOracleAttackIT {

	private static final int BUDGET = 5;

	/**
	 * Every payload starts with these 15 bytes; the 16th, the one the attacker recovers,
	 * is the double quote that opens the phone number.
	 */
	private static final byte[] KNOWN_PREFIX = "{\"phoneNumber\":".getBytes(StandardCharsets.US_ASCII);

	/**
	 * What the attacker turns the known prefix into: JSON that parses, whatever padding
	 * byte follows.
	 */
	private static final byte[] CHOSEN_PREFIX = "{}             ".getBytes(StandardCharsets.US_ASCII);

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private static final EmbeddedRedis redis = EmbeddedRedis.start();

	private static final EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start();

	private final ApplicationContextRunner caffeine = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(RestClientAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
		.withPropertyValues(sandbox.springPropertyValues());

	private final ApplicationContextRunner redisInstance = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RestClientAutoConfiguration.class,
				WeChatMiniAppRedisAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
		.withPropertyValues(redis.springProperties())
		.withPropertyValues(sandbox.springPropertyValues())
		.withPropertyValues("wechat.miniapp.store=redis");

	/**
	 * The same on a Redis Cluster of three masters: each user's keys and count in one
	 * hash slot.
	 */
	private final ApplicationContextRunner clusterInstance = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RestClientAutoConfiguration.class,
				WeChatMiniAppRedisAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
		.withPropertyValues(cluster.springProperties())
		.withPropertyValues(sandbox.springPropertyValues())
		.withPropertyValues("wechat.miniapp.store=redis");

	@AfterAll
	static void stop() {
		redis.close();
		cluster.close();
	}

	@Test
	void withoutABudgetThePerfectOracleRecoversTheByte() {
		this.caffeine.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=" + Integer.MAX_VALUE)
			.run((context) -> {
				Attack attack = new Attack(List.of(context));
				Outcome outcome = attack.run();
				assertThat(outcome.recovered()).isEqualTo((int) '"');
				assertThat(outcome.answers()).isEqualTo(attack.rightGuess() + 1);
				assertThat(outcome.stopped()).isFalse();
			});
	}

	@Test
	void withoutABudgetThePerfectOracleRecoversTheByteOnRedis() {
		this.redisInstance.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=" + Integer.MAX_VALUE)
			.run((context) -> assertThat(new Attack(List.of(context)).run().recovered()).isEqualTo((int) '"'));
	}

	@Test
	void theBudgetStopsTheAttackInMemory() {
		this.caffeine.run((context) -> assertStopped(new Attack(List.of(context))));
	}

	@Test
	void theBudgetStopsTheAttackOnRedis() {
		this.redisInstance.run((context) -> assertStopped(new Attack(List.of(context))));
	}

	@Test
	void twoInstancesOnOneRedisShareOneBudget() {
		this.redisInstance.run((first) -> this.redisInstance.run((second) -> {
			Attack attack = new Attack(List.of(first, second));
			Outcome outcome = attack.run();
			assertThat(outcome.recovered()).isNull();
			// Taking turns between the instances buys no more answers than one instance
			// gives.
			assertThat(outcome.answers()).isEqualTo(BUDGET - 1);
			assertThat(first.getBean(SessionKeyRepository.class).findRecent(attack.user.openid())).isEmpty();
			assertThat(second.getBean(SessionKeyRepository.class).findRecent(attack.user.openid())).isEmpty();
		}));
	}

	@Test
	void twoInstancesOnOneRedisClusterShareOneBudget() {
		this.clusterInstance.run((first) -> this.clusterInstance.run((second) -> {
			assertThat(first.getBean(org.springframework.data.redis.connection.RedisConnectionFactory.class))
				.isInstanceOfSatisfying(
						org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory.class,
						(factory) -> assertThat(factory.getClusterConfiguration()).isNotNull());
			Attack attack = new Attack(List.of(first, second));
			Outcome outcome = attack.run();
			assertThat(outcome.recovered()).isNull();
			assertThat(outcome.answers()).isEqualTo(BUDGET - 1);
			assertThat(first.getBean(SessionKeyRepository.class).findRecent(attack.user.openid())).isEmpty();
			assertThat(second.getBean(SessionKeyRepository.class).findRecent(attack.user.openid())).isEmpty();
		}));
	}

	@Test
	void loggingInAgainWithTheSameKeyBuysNoFreshBudgetOnTwoRedisClusterInstances() {
		this.clusterInstance.run((first) -> this.clusterInstance
			.run((second) -> assertNoFreshBudgetAfterLogins(new Attack(List.of(first, second)))));
	}

	@Test
	void loggingInAgainWithTheSameKeyBuysNoFreshBudgetInMemory() {
		this.caffeine.run((context) -> assertNoFreshBudgetAfterLogins(new Attack(List.of(context))));
	}

	@Test
	void loggingInAgainWithTheSameKeyBuysNoFreshBudgetOnTwoRedisInstances() {
		this.redisInstance.run((first) -> this.redisInstance
			.run((second) -> assertNoFreshBudgetAfterLogins(new Attack(List.of(first, second)))));
	}

	@Test
	void aNewKeyFromWeChatGivesTheUserAFreshBudget() {
		this.redisInstance.run((context) -> {
			Attack attack = new Attack(List.of(context));
			assertStopped(attack);
			sandbox.rotateSessionKey(attack.user);
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			service.login(sandbox.loginCode(attack.user));
			// The old payload is useless under the new key; a fresh one decrypts, even
			// after BUDGET - 1 rejections.
			EncryptedData fresh = sandbox.encryptPhoneNumber(attack.user);
			for (int i = 0; i < BUDGET - 1; i++) {
				attack.ask(0, fresh.iv(), tamper(fresh.encryptedData()));
			}
			PhoneNumber phone = service.decryptPhoneNumber(attack.user.openid(), fresh.encryptedData(), fresh.iv());
			assertThat(phone.purePhoneNumber()).isEqualTo(attack.user.purePhoneNumber());
		});
	}

	private static void assertStopped(Attack attack) {
		Outcome outcome = attack.run();
		assertThat(outcome.recovered()).isNull();
		assertThat(outcome.stopped()).isTrue();
		assertThat(outcome.answers()).isEqualTo(BUDGET - 1);
		assertThat(attack.instances.get(0).getBean(SessionKeyRepository.class).findRecent(attack.user.openid()))
			.isEmpty();
		// The user's own, untampered payload is refused too: a new wx.login is the price
		// of every new key.
		Enum<?> reason = reason(() -> attack.instances.get(0)
			.getBean(PhoneNumberService.class)
			.decryptPhoneNumber(attack.user.openid(), attack.payload.encryptedData(), attack.payload.iv()));
		assertThat(reason).isEqualTo(LoginRequiredException.Reason.NO_SESSION_KEY);
	}

	private static void assertNoFreshBudgetAfterLogins(Attack attack) {
		Outcome first = attack.run();
		assertThat(first.stopped()).isTrue();
		int answers = first.answers();
		// WeChat hands back the same session key on wx.login: each login restores it, no
		// login restores a budget.
		for (int login = 0; login < 20; login++) {
			attack.instances.get(login % attack.instances.size())
				.getBean(PhoneNumberService.class)
				.login(sandbox.loginCode(attack.user));
			Outcome again = attack.resume(first.nextGuess());
			assertThat(again.recovered()).isNull();
			assertThat(again.stopped()).isTrue();
			answers += again.answers();
		}
		assertThat(answers).isEqualTo(BUDGET - 1);
	}

	private static Enum<?> reason(Runnable decryption) {
		return Refusal.of(decryption).reason();
	}

	private static String tamper(String encryptedData) {
		byte[] bytes = Base64.getDecoder().decode(encryptedData);
		bytes[bytes.length - 1] ^= 0x5a;
		return Base64.getEncoder().encodeToString(bytes);
	}

	/**
	 * One attacker: a logged-in user with their own payload, talking to one or more
	 * instances in turn.
	 */
	private static final class Attack {

		private final List<ApplicationContext> instances;

		private final WeChatSandboxUser user;

		private final EncryptedData payload;

		private final byte[] iv;

		private final byte[] firstBlock;

		private final int rightGuess;

		private int calls;

		Attack(List<ApplicationContext> instances) {
			this.instances = instances;
			// A user whose byte the attacker does not hit by luck within a few budgets'
			// worth of guesses.
			WeChatSandboxUser candidate;
			EncryptedData data;
			int right;
			do {
				candidate = sandbox.createUser();
				data = sandbox.encryptPhoneNumber(candidate);
				right = rightGuess(sandbox.sessionKey(candidate), data);
			}
			while (right < 4 * BUDGET);
			this.user = candidate;
			this.payload = data;
			this.rightGuess = right;
			this.iv = Base64.getDecoder().decode(data.iv());
			this.firstBlock = Arrays.copyOf(Base64.getDecoder().decode(data.encryptedData()), 16);
			instances.get(0).getBean(PhoneNumberService.class).login(sandbox.loginCode(this.user));
			assertThat(instances.get(0)
				.getBean(PhoneNumberService.class)
				.decryptPhoneNumber(this.user.openid(), data.encryptedData(), data.iv())
				.purePhoneNumber()).isEqualTo(this.user.purePhoneNumber());
		}

		int rightGuess() {
			return this.rightGuess;
		}

		Outcome run() {
			return resume(0);
		}

		/**
		 * Guesses the iv's last byte from {@code from} on, until the padding is valid or
		 * the attacker is stopped.
		 */
		Outcome resume(int from) {
			byte[] forged = this.iv.clone();
			for (int i = 0; i < 15; i++) {
				forged[i] = (byte) (this.iv[i] ^ KNOWN_PREFIX[i] ^ CHOSEN_PREFIX[i]);
			}
			int answers = 0;
			for (int guess = from; guess < 256; guess++) {
				forged[15] = (byte) guess;
				Enum<?> reason = ask(this.calls++ % this.instances.size(), Base64.getEncoder().encodeToString(forged),
						Base64.getEncoder().encodeToString(this.firstBlock));
				if (reason == LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED
						|| reason == LoginRequiredException.Reason.NO_SESSION_KEY) {
					return new Outcome(null, answers, true, guess);
				}
				answers++;
				if (reason == Reason.WATERMARK_APPID_MISMATCH) {
					// Valid padding: the last plaintext byte was 0x01 = guess ^
					// D(C1)[15], and P[15] = D(C1)[15] ^ iv[15].
					return new Outcome((0x01 ^ guess ^ this.iv[15]) & 0xff, answers, false, guess + 1);
				}
				assertThat(reason).isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
			}
			throw new AssertionError("no guess gave valid padding");
		}

		Enum<?> ask(int instance, String iv, String encryptedData) {
			return reason(() -> this.instances.get(instance)
				.getBean(PhoneNumberService.class)
				.decryptPhoneNumber(this.user.openid(), encryptedData, iv));
		}

		/**
		 * Computed with the key, which the attacker does not have: where in 0..255 valid
		 * padding waits.
		 */
		private static int rightGuess(String sessionKey, EncryptedData data) {
			try {
				Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
				aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(sessionKey), "AES"));
				byte[] intermediate = aes.doFinal(Base64.getDecoder().decode(data.encryptedData()), 0, 16);
				return (intermediate[15] ^ 0x01) & 0xff;
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	/**
	 * @param recovered the byte, or null when the attacker was stopped first
	 * @param answers oracle answers the attacker got (rejections that told valid from bad
	 * padding)
	 * @param stopped whether the attacker was stopped (budget exhausted, keys gone)
	 * @param nextGuess where a resumed attack would go on
	 */
	private record Outcome(Integer recovered, int answers, boolean stopped, int nextGuess) {
	}

}
