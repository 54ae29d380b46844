package io.github.wechatminiapp.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.wechatminiapp.StoreAccessException;
import io.github.wechatminiapp.phone.PhoneNumber;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.testsupport.redis.EmbeddedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two application contexts, one Redis server, one {@link WeChatSandbox}: what several
 * instances of a backend see.
 */
@ExtendWith(OutputCaptureExtension.class)
class MultipleInstancesIT {

	private static final EmbeddedRedis redis = EmbeddedRedis.start();

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private final ApplicationContextRunner instance = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RestClientAutoConfiguration.class,
				WeChatMiniAppRedisAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
		.withPropertyValues(redis.springProperties())
		.withPropertyValues(sandbox.springPropertyValues())
		.withPropertyValues("wechat.miniapp.store=redis",
				"wechat.miniapp.redis.encryption-key=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");

	@AfterAll
	static void stop() {
		redis.close();
	}

	@BeforeEach
	void reset() {
		sandbox.resetCounts();
		sandbox.clearFaults();
		sandbox.revokeAccessTokens();
		this.instance.run((context) -> context.getBean(StringRedisTemplate.class)
			.execute((org.springframework.data.redis.core.RedisCallback<Void>) (connection) -> {
				connection.serverCommands().flushAll();
				return null;
			}));
	}

	@Test
	void loginOnOneInstanceDecryptOnTheOther(CapturedOutput output) {
		WeChatSandboxUser user = sandbox.createUser("13800138000", "86");
		this.instance.run((first) -> this.instance.run((second) -> {
			first.getBean(PhoneNumberService.class).login(sandbox.loginCode(user));
			EncryptedData data = sandbox.encryptPhoneNumber(user);
			PhoneNumber phone = second.getBean(PhoneNumberService.class)
				.decryptPhoneNumber(user.openid(), data.encryptedData(), data.iv());
			assertThat(phone.purePhoneNumber()).isEqualTo("13800138000");
		}));
		assertThat(output.getAll()).doesNotContain(sandbox.sessionKey(user)).doesNotContain(sandbox.appSecret());
	}

	@Test
	void concurrentCallsOnTwoInstancesFetchOneToken() {
		this.instance.run((first) -> this.instance.run((second) -> {
			int perInstance = 32;
			List<PhoneNumberService> services = List.of(first.getBean(PhoneNumberService.class),
					second.getBean(PhoneNumberService.class));
			List<WeChatSandboxUser> users = new ArrayList<>();
			List<String> codes = new ArrayList<>();
			for (int i = 0; i < 2 * perInstance; i++) {
				WeChatSandboxUser user = sandbox.createUser(String.format("137%08d", i), "86");
				users.add(user);
				codes.add(sandbox.phoneCode(user));
			}
			CountDownLatch start = new CountDownLatch(1);
			ExecutorService pool = Executors.newFixedThreadPool(2 * perInstance);
			try {
				List<Future<PhoneNumber>> results = new ArrayList<>();
				for (int i = 0; i < codes.size(); i++) {
					PhoneNumberService service = services.get(i % 2);
					String code = codes.get(i);
					results.add(pool.submit(() -> {
						start.await();
						return service.getPhoneNumber(code);
					}));
				}
				start.countDown();
				for (int i = 0; i < results.size(); i++) {
					assertThat(results.get(i).get(30, TimeUnit.SECONDS).purePhoneNumber())
						.isEqualTo(users.get(i).purePhoneNumber());
				}
			}
			finally {
				pool.shutdownNow();
			}
			assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(1);
			assertThat(sandbox.requestCount(WeChatEndpoint.TOKEN)).isZero();
		}));
	}

	@Test
	void theTokenSurvivesTheRestartOfAnInstance() {
		this.instance.run((first) -> first.getBean(PhoneNumberService.class)
			.getPhoneNumber(sandbox.phoneCode(sandbox.createUser())));
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(1);
		this.instance.run((restarted) -> restarted.getBean(PhoneNumberService.class)
			.getPhoneNumber(sandbox.phoneCode(sandbox.createUser())));
		assertThat(sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(1);
		assertThat(sandbox.requestCount(WeChatEndpoint.GET_USER_PHONE_NUMBER)).isEqualTo(2);
	}

	@Test
	void redisUnavailableIsAClearErrorWithinTheTimeout(CapturedOutput output) {
		int closedPort = EmbeddedRedis.freePort();
		WeChatSandboxUser user = sandbox.createUser();
		this.instance
			.withPropertyValues("spring.data.redis.port=" + closedPort, "spring.data.redis.timeout=500ms",
					"spring.data.redis.connect-timeout=500ms")
			.run((context) -> {
				long started = System.nanoTime();
				assertThatExceptionOfType(StoreAccessException.class)
					.isThrownBy(() -> context.getBean(PhoneNumberService.class).login(sandbox.loginCode(user)))
					.satisfies((ex) -> {
						assertThat(ex.store()).isEqualTo("redis");
						assertThat(ex.getMessage()).contains("redis", "session keys")
							.doesNotContain(sandbox.sessionKey(user));
					});
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
			});
		assertThat(output.getAll()).doesNotContain(sandbox.sessionKey(user));
	}

}
