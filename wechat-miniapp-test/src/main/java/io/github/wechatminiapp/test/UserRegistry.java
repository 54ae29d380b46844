package io.github.wechatminiapp.test;

import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The sandbox's users and their current session keys.
 */
final class UserRegistry {

	private final Map<String, WeChatSandboxUser> users = new ConcurrentHashMap<>();

	private final Map<String, String> sessionKeys = new ConcurrentHashMap<>();

	/** openid to app id: an openid belongs to one mini program, as on WeChat. */
	private final Map<String, String> apps = new ConcurrentHashMap<>();

	/**
	 * Registers the user in an app; a user adopted without one joins the default app.
	 * @param user the user
	 * @param appId the app the user joins, unless the user belongs to one already
	 * @return the registered user
	 */
	WeChatSandboxUser register(WeChatSandboxUser user, String appId) {
		WeChatSandboxUser registered = register(user);
		this.apps.putIfAbsent(user.openid(), appId);
		return registered;
	}

	/**
	 * The app the user belongs to, or null for an unknown openid.
	 * @param openid the user's openid, or {@code null}
	 * @return the app id, or {@code null}
	 */
	@Nullable String appOf(@Nullable String openid) {
		return (openid != null) ? this.apps.get(openid) : null;
	}

	/**
	 * Users built by hand are adopted on first use, so tests can pick their own openids;
	 * a second, different user with the same openid is a test bug and fails loudly.
	 * @param user the user
	 * @return the user registered under that openid
	 */
	WeChatSandboxUser register(WeChatSandboxUser user) {
		IssuedSecrets.phoneNumber(user);
		WeChatSandboxUser existing = this.users.putIfAbsent(user.openid(), user);
		if (existing != null && !existing.equals(user)) {
			throw new IllegalArgumentException("Another user with openid " + user.openid() + " exists: " + existing);
		}
		return user;
	}

	@Nullable WeChatSandboxUser find(@Nullable String openid) {
		return (openid != null) ? this.users.get(openid) : null;
	}

	/**
	 * WeChat creates the session key when the user first logs in; the sandbox does it on
	 * first need.
	 * @param openid the user's openid
	 * @return the session key, Base64
	 */
	String sessionKey(String openid) {
		return this.sessionKeys.computeIfAbsent(openid, (id) -> newKey());
	}

	/**
	 * The current key, without creating one: a user who never logged in has no key to
	 * match.
	 * @param openid the user's openid
	 * @return the session key, Base64, or {@code null}
	 */
	@Nullable String currentSessionKey(String openid) {
		return this.sessionKeys.get(openid);
	}

	String rotateSessionKey(String openid) {
		String key = newKey();
		this.sessionKeys.put(openid, key);
		return key;
	}

	private static String newKey() {
		return IssuedSecrets.secret(Base64.getEncoder().encodeToString(SandboxRandom.bytes(16)));
	}

}
