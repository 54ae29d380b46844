package io.github.wechatminiapp.phone;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.github.wechatminiapp.client.Code2Session;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatCommunicationException;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.session.SessionKeyResetListener;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.testsupport.OfflineClients;
import io.github.wechatminiapp.token.AccessTokenProvider;
import io.github.wechatminiapp.token.CachingAccessTokenProvider;
import io.github.wechatminiapp.token.InMemoryAccessTokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code resetusersessionkey}: the reset listener is told of a reset against
 * {@link WeChatSandbox} once the new key is stored, and of nothing else; and answers that
 * WeChat should never give and the sandbox cannot be made to give, which the stored key
 * must survive.
 */
class ResetSessionKeyTests {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private static final String OPENID = "oUser0000000000000000000000";

	private static final SessionKey STORED = SessionKey.ofBase64("tiihtNczf5v6AKRyjwEUhQ==");

	private final CaffeineSessionKeyRepository sessionKeys = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);

	/** Each reset told: the app, the user, and the key stored for the user by then. */
	private final List<Told> told = new CopyOnWriteArrayList<>();

	/** A service against the sandbox, its listener recording into {@link #told}. */
	private PhoneNumberService sandboxService() {
		PhoneNumberService service = sandboxServiceWithoutListener();
		service.setSessionKeyResetListener(recording());
		return service;
	}

	private PhoneNumberService sandboxServiceWithoutListener() {
		WeChatMiniAppClient client = new WeChatMiniAppClient(RestClient.builder().baseUrl(sandbox.baseUrl()).build(),
				sandbox.appId(), sandbox.appSecret(), RetrySettings.DEFAULT);
		return new PhoneNumberService(client, this.sessionKeys,
				new CachingAccessTokenProvider(client, new InMemoryAccessTokenStore()));
	}

	private SessionKeyResetListener recording() {
		return (appId, openid) -> this.told.add(new Told(appId, openid, this.sessionKeys.find(openid).orElse(null)));
	}

	@Test
	void aResetTellsTheListenerOnceTheNewKeyIsStored() {
		PhoneNumberService service = sandboxService();
		WeChatSandboxUser user = sandbox.createUser();
		service.login(sandbox.loginCode(user));
		sandbox.resetCounts();
		service.resetSessionKey(user.openid());
		assertThat(sandbox.requestCount(WeChatEndpoint.RESET_USER_SESSION_KEY)).isEqualTo(1);
		// Told the new key's user, never the key, and only once it is the stored one.
		assertThat(this.told).as("told once, when the new key was the stored one")
			.containsExactly(new Told(sandbox.appId(), user.openid(), SessionKey.ofBase64(sandbox.sessionKey(user))));
	}

	@Test
	void aResetWeChatRefusesTellsNothing() {
		PhoneNumberService service = sandboxService();
		WeChatSandboxUser user = sandbox.createUser();
		service.login(sandbox.loginCode(user));
		String stored = sandbox.sessionKey(user);
		// WeChat moved on: the stored key is stale, and a reset signed with it is
		// refused.
		sandbox.rotateSessionKey(user);
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> service.resetSessionKey(user.openid()))
			.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(87009));
		assertThat(this.sessionKeys.find(user.openid())).contains(SessionKey.ofBase64(stored));
		assertThat(this.told).isEmpty();
	}

	@Test
	void aLoginIsNoReset() {
		PhoneNumberService service = sandboxService();
		WeChatSandboxUser user = sandbox.createUser();
		service.login(sandbox.loginCode(user));
		sandbox.rotateSessionKey(user);
		service.login(sandbox.loginCode(user));
		assertThat(this.sessionKeys.find(user.openid())).contains(SessionKey.ofBase64(sandbox.sessionKey(user)));
		assertThat(this.told).isEmpty();
	}

	@Test
	void withoutAListenerOrWithNoneAResetStoresTheNewKeyAlone() {
		PhoneNumberService service = sandboxServiceWithoutListener();
		WeChatSandboxUser user = sandbox.createUser();
		service.login(sandbox.loginCode(user));
		service.resetSessionKey(user.openid());
		assertThat(this.sessionKeys.find(user.openid())).contains(SessionKey.ofBase64(sandbox.sessionKey(user)));
		service.setSessionKeyResetListener(SessionKeyResetListener.NONE);
		service.resetSessionKey(user.openid());
		assertThat(this.sessionKeys.find(user.openid())).contains(SessionKey.ofBase64(sandbox.sessionKey(user)));
	}

	@Test
	void theListenerMustNotBeNull() {
		PhoneNumberService service = sandboxService();
		assertThatIllegalArgumentException().isThrownBy(() -> service.setSessionKeyResetListener(null))
			.withMessage("sessionKeyResetListener must not be null");
	}

	private PhoneNumberService serviceAnswering(Code2Session answer) {
		// Answers the reset itself; any other call goes to a closed port.
		WeChatMiniAppClient client = new WeChatMiniAppClient(OfflineClients.restClient(), "wx0123456789abcdef",
				OfflineClients.APP_SECRET, OfflineClients.ONE_ATTEMPT) {

			@Override
			public Code2Session resetUserSessionKey(String accessToken, String openid, String signature) {
				assertThat(accessToken).isEqualTo("token");
				assertThat(openid).isEqualTo(OPENID);
				assertThat(signature).hasSize(64);
				return answer;
			}

		};
		AccessTokenProvider tokens = new AccessTokenProvider() {

			@Override
			public String getAccessToken() {
				return "token";
			}

			@Override
			public void invalidate(String rejectedToken) {
			}

			@Override
			public <T> T execute(Function<String, T> call) {
				return call.apply("token");
			}

		};
		this.sessionKeys.save(OPENID, STORED);
		PhoneNumberService service = new PhoneNumberService(client, this.sessionKeys, tokens);
		service.setSessionKeyResetListener(recording());
		return service;
	}

	@Test
	void anAnswerForAnotherUserIsRefusedAndKeepsTheStoredKey() {
		PhoneNumberService service = serviceAnswering(
				new Code2Session("oSomeoneElse", null, "AAAAAAAAAAAAAAAAAAAAAA=="));
		assertThatExceptionOfType(WeChatCommunicationException.class).isThrownBy(() -> service.resetSessionKey(OPENID))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(WeChatCommunicationException.Kind.INVALID_ANSWER))
			.withMessageNotContaining("AAAAAAAAAAAAAAAAAAAAAA==");
		assertThat(this.sessionKeys.findRecent(OPENID)).containsExactly(STORED);
		assertThat(this.told).isEmpty();
	}

	@Test
	void aMalformedNewKeyIsRefusedAndKeepsTheStoredKey() {
		PhoneNumberService service = serviceAnswering(new Code2Session(OPENID, null, "not-a-key"));
		assertThatExceptionOfType(WeChatCommunicationException.class).isThrownBy(() -> service.resetSessionKey(OPENID))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(WeChatCommunicationException.Kind.INVALID_ANSWER))
			.withMessageNotContaining("not-a-key");
		assertThat(this.sessionKeys.findRecent(OPENID)).containsExactly(STORED);
		assertThat(this.told).isEmpty();
	}

	@Test
	void theNewKeyIsStoredBeforeTheOldOne() {
		SessionKey renewed = SessionKey.ofBase64("AAAAAAAAAAAAAAAAAAAAAA==");
		serviceAnswering(new Code2Session(OPENID, null, renewed.toBase64())).resetSessionKey(OPENID);
		assertThat(this.sessionKeys.findRecent(OPENID)).containsExactly(renewed, STORED);
		assertThat(this.told).as("told once, when the new key was the stored one")
			.containsExactly(new Told("wx0123456789abcdef", OPENID, renewed));
	}

	/** A reset told; the key as {@link SessionKey}, whose text shows no key. */
	private record Told(String appId, String openid, SessionKey storedKey) {

	}

}
