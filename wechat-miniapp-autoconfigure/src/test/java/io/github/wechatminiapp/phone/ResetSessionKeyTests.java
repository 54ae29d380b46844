package io.github.wechatminiapp.phone;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

import io.github.wechatminiapp.client.Code2Session;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatCommunicationException;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.token.AccessTokenProvider;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Answers of {@code resetusersessionkey} that WeChat should never give and the sandbox
 * cannot be made to give: the stored key must survive them.
 */
class ResetSessionKeyTests {

	private static final String OPENID = "oUser0000000000000000000000";

	private static final SessionKey STORED = SessionKey.ofBase64("tiihtNczf5v6AKRyjwEUhQ==");

	private final CaffeineSessionKeyRepository sessionKeys = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);

	private PhoneNumberService serviceAnswering(Code2Session answer) {
		WeChatMiniAppClient client = new WeChatMiniAppClient(RestClient.builder().baseUrl("http://127.0.0.1:9").build(),
				"wx0123456789abcdef", "0123456789abcdef0123456789abcdef", RetrySettings.DEFAULT) {

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
		return new PhoneNumberService(client, this.sessionKeys, tokens, Duration.ZERO, Clock.systemUTC());
	}

	@Test
	void anAnswerForAnotherUserIsRefusedAndKeepsTheStoredKey() {
		PhoneNumberService service = serviceAnswering(
				new Code2Session("oSomeoneElse", null, "AAAAAAAAAAAAAAAAAAAAAA=="));
		assertThatExceptionOfType(WeChatCommunicationException.class).isThrownBy(() -> service.resetSessionKey(OPENID))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(WeChatCommunicationException.Kind.INVALID_ANSWER))
			.withMessageNotContaining("AAAAAAAAAAAAAAAAAAAAAA==");
		assertThat(this.sessionKeys.findRecent(OPENID)).containsExactly(STORED);
	}

	@Test
	void aMalformedNewKeyIsRefusedAndKeepsTheStoredKey() {
		PhoneNumberService service = serviceAnswering(new Code2Session(OPENID, null, "not-a-key"));
		assertThatExceptionOfType(WeChatCommunicationException.class).isThrownBy(() -> service.resetSessionKey(OPENID))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(WeChatCommunicationException.Kind.INVALID_ANSWER))
			.withMessageNotContaining("not-a-key");
		assertThat(this.sessionKeys.findRecent(OPENID)).containsExactly(STORED);
	}

	@Test
	void theNewKeyIsStoredBeforeTheOldOne() {
		SessionKey renewed = SessionKey.ofBase64("AAAAAAAAAAAAAAAAAAAAAA==");
		serviceAnswering(new Code2Session(OPENID, null, renewed.toBase64())).resetSessionKey(OPENID);
		assertThat(this.sessionKeys.findRecent(OPENID)).containsExactly(renewed, STORED);
	}

}
