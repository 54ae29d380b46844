package io.github.wechatminiapp.testsupport;

import java.time.Duration;

import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.token.AccessTokenProvider;

import org.springframework.web.client.RestClient;

/**
 * Collaborators for tests whose code under test must never reach WeChat: decrypting open
 * data, binding settings, resolving apps. Where such a test still needs a client or an
 * access-token provider, these make any call that should never happen fail at once and
 * loudly, instead of reaching a real server or waiting on one.
 */
public final class OfflineClients {

	/**
	 * The base URL of the clients made here: the loopback address at port 9 (discard),
	 * where nothing listens, so a call is refused at once and never leaves the machine.
	 */
	public static final String CLOSED_LOOPBACK_URL = "http://127.0.0.1:9";

	/**
	 * The app secret of the clients made here: 32 characters, as WeChat's are, and never
	 * sent anywhere.
	 */
	public static final String APP_SECRET = "0123456789abcdef0123456789abcdef";

	/**
	 * One attempt and no backoff: a call that should never happen fails on its first
	 * refusal, with no retry and no wait.
	 */
	public static final RetrySettings ONE_ATTEMPT = new RetrySettings(1, Duration.ZERO, Duration.ZERO, 1.0);

	/**
	 * An access-token provider that must never be asked: {@code getAccessToken} throws
	 * {@link AssertionError}, so a test fails where its code asked for a token it should
	 * not need (decrypting open data, logging in); {@code invalidate} does nothing, as
	 * there is never a token to drop.
	 */
	public static final AccessTokenProvider NO_ACCESS_TOKENS = new AccessTokenProvider() {

		@Override
		public String getAccessToken() {
			throw new AssertionError("no access token is needed here");
		}

		@Override
		public void invalidate(String rejectedToken) {
		}

	};

	private OfflineClients() {
	}

	/**
	 * A client that cannot reach WeChat: pointed at {@link #CLOSED_LOOPBACK_URL}, with
	 * {@link #APP_SECRET} and {@link #ONE_ATTEMPT}, so a call that should never happen
	 * fails fast with a communication error.
	 * @param appId the app id the client is for, which the code under test may read
	 * (watermarks, listeners, app lookups)
	 * @return a client for that app that never gets an answer
	 */
	public static WeChatMiniAppClient client(String appId) {
		return new WeChatMiniAppClient(restClient(), appId, APP_SECRET, ONE_ATTEMPT);
	}

	/**
	 * An HTTP client pointed at {@link #CLOSED_LOOPBACK_URL}, for a test that builds its
	 * own {@link WeChatMiniAppClient} (a subclass answering one API itself) and must not
	 * reach WeChat with the others.
	 * @return an HTTP client whose every request is refused
	 */
	public static RestClient restClient() {
		return RestClient.create(CLOSED_LOOPBACK_URL);
	}

}
