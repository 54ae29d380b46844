package io.github.wechatminiapp.sample;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.wechatminiapp.sample.ApiClient.Response;
import io.github.wechatminiapp.sample.sandbox.SandboxMode;
import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many users log in at once, then each asks for its phone number by encryptedData: no
 * session key is mixed up between users or lost.
 */
@ActiveProfiles("sandbox")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "wechat.miniapp.http.read-timeout=1s",
		"wechat.miniapp.retry.initial-backoff=10ms", "wechat.miniapp.retry.max-backoff=20ms" })
class ConcurrentLoginIT {

	private static final int USERS = 50;

	@LocalServerPort
	int port;

	@Autowired
	SandboxMode sandboxMode;

	@Test
	void fiftyConcurrentLoginsThenEachDecryptsItsOwnPhoneNumber() throws Exception {
		WeChatSandbox sandbox = this.sandboxMode.sandbox();
		ApiClient api = new ApiClient(this.port);
		List<WeChatSandboxUser> users = new ArrayList<>();
		for (int i = 0; i < USERS; i++) {
			users.add(sandbox.createUser());
		}
		ExecutorService executor = Executors.newFixedThreadPool(USERS);
		try {
			List<Response> logins = runTogether(executor, users,
					(user) -> api.post("/api/login", Map.of("code", sandbox.loginCode(user))));
			Set<String> tokens = new HashSet<>();
			for (int i = 0; i < USERS; i++) {
				assertThat(logins.get(i).status()).as(logins.get(i).toString()).isEqualTo(200);
				assertThat(logins.get(i).text("openid")).isEqualTo(users.get(i).openid());
				tokens.add(logins.get(i).text("token"));
			}
			assertThat(tokens).hasSize(USERS);

			List<Response> phones = runTogether(executor, users, (user) -> {
				String token = logins.get(users.indexOf(user)).text("token");
				EncryptedData data = sandbox.encryptPhoneNumber(user);
				return api.post("/api/phone", Map.of("encryptedData", data.encryptedData(), "iv", data.iv()), token);
			});
			for (int i = 0; i < USERS; i++) {
				assertThat(phones.get(i).status()).as(phones.get(i).toString()).isEqualTo(200);
				assertThat(phones.get(i).text("purePhoneNumber")).isEqualTo(users.get(i).purePhoneNumber());
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	/**
	 * Runs one call per user, all released at the same moment; answers in the order of
	 * the users.
	 */
	private static List<Response> runTogether(ExecutorService executor, List<WeChatSandboxUser> users, UserCall call)
			throws Exception {
		CountDownLatch ready = new CountDownLatch(users.size());
		CountDownLatch go = new CountDownLatch(1);
		List<Future<Response>> futures = new ArrayList<>();
		for (WeChatSandboxUser user : users) {
			Callable<Response> task = () -> {
				ready.countDown();
				go.await();
				return call.apply(user);
			};
			futures.add(executor.submit(task));
		}
		assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
		go.countDown();
		List<Response> responses = new ArrayList<>();
		for (Future<Response> future : futures) {
			responses.add(future.get(60, TimeUnit.SECONDS));
		}
		return responses;
	}

	@FunctionalInterface
	interface UserCall {

		Response apply(WeChatSandboxUser user) throws Exception;

	}

}
