package io.github.wechatminiapp.apps;

import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.opendata.OpenDataService;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.token.AccessTokenProvider;

import org.springframework.util.Assert;

/**
 * One mini program's own services: its client, its session keys, its access token and the
 * {@link PhoneNumberService} and {@link OpenDataService} built on them. Nothing in it is
 * shared with another app but the HTTP client underneath.
 */
public final class MiniApp {

	private final String appId;

	private final WeChatMiniAppClient client;

	private final PhoneNumberService phoneNumbers;

	private final OpenDataService openData;

	private final AccessTokenProvider accessTokens;

	private final SessionKeyRepository sessionKeys;

	/**
	 * Groups an app's services.
	 * @param appId the app id
	 * @param client its WeChat client, the one its services call WeChat with
	 * @param phoneNumbers its phone number service
	 * @param openData its open data service
	 * @param accessTokens its access token provider
	 * @param sessionKeys its session keys
	 */
	public MiniApp(String appId, WeChatMiniAppClient client, PhoneNumberService phoneNumbers, OpenDataService openData,
			AccessTokenProvider accessTokens, SessionKeyRepository sessionKeys) {
		Assert.isTrue(MiniAppCredentials.isAppId(appId), "appId must be wx followed by 16 hexadecimal digits");
		Assert.notNull(client, "client must not be null");
		Assert.notNull(phoneNumbers, "phoneNumbers must not be null");
		Assert.notNull(openData, "openData must not be null");
		Assert.notNull(accessTokens, "accessTokens must not be null");
		Assert.notNull(sessionKeys, "sessionKeys must not be null");
		this.appId = appId;
		this.client = client;
		this.phoneNumbers = phoneNumbers;
		this.openData = openData;
		this.accessTokens = accessTokens;
		this.sessionKeys = sessionKeys;
	}

	/**
	 * The app id.
	 * @return the app id
	 */
	public String appId() {
		return this.appId;
	}

	/**
	 * The app's WeChat client, the one its services use: for any other server API, with a
	 * token of {@link #accessTokens()}.
	 * @return the client
	 */
	public WeChatMiniAppClient client() {
		return this.client;
	}

	/**
	 * The app's phone number service: logs its users in, gives their phone numbers.
	 * @return the service
	 */
	public PhoneNumberService phoneNumbers() {
		return this.phoneNumbers;
	}

	/**
	 * The app's open data service: WeRun, share and user info, raw data signatures, with
	 * the app's session keys.
	 * @return the service
	 */
	public OpenDataService openData() {
		return this.openData;
	}

	/**
	 * The app's own access token.
	 * @return the provider
	 */
	public AccessTokenProvider accessTokens() {
		return this.accessTokens;
	}

	/**
	 * The app's own session keys.
	 * @return the repository
	 */
	public SessionKeyRepository sessionKeys() {
		return this.sessionKeys;
	}

	@Override
	public String toString() {
		return "MiniApp[" + this.appId + "]";
	}

}
