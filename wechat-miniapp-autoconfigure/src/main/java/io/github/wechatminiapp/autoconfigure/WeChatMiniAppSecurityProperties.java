package io.github.wechatminiapp.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the Spring Security login ({@code miniAppLogin()}): bearer tokens and
 * the default role.
 */
@ConfigurationProperties("wechat.miniapp.security")
public class WeChatMiniAppSecurityProperties {

	/**
	 * Role granted to every logged-in user when the application declares no
	 * MiniAppUserService bean; the authority is "ROLE_" followed by it.
	 */
	private String defaultRole = "USER";

	private final Token token = new Token();

	private final Login login = new Login();

	public String getDefaultRole() {
		return this.defaultRole;
	}

	public void setDefaultRole(String defaultRole) {
		this.defaultRole = defaultRole;
	}

	public Token getToken() {
		return this.token;
	}

	public Login getLogin() {
		return this.login;
	}

	/**
	 * The login endpoint's defences against floods.
	 */
	public static class Login {

		/**
		 * Failed logins allowed per client address within the failure window; more are
		 * answered 429 without calling WeChat until the window ends. Successful logins
		 * are never counted. The client address is the request's remote address: behind a
		 * reverse proxy, set server.forward-headers-strategy.
		 */
		private int maxFailures = 30;

		/**
		 * Window the failed logins of a client address are counted in.
		 */
		private Duration failureWindow = Duration.ofMinutes(1);

		public int getMaxFailures() {
			return this.maxFailures;
		}

		public void setMaxFailures(int maxFailures) {
			this.maxFailures = maxFailures;
		}

		public Duration getFailureWindow() {
			return this.failureWindow;
		}

		public void setFailureWindow(Duration failureWindow) {
			this.failureWindow = failureWindow;
		}

	}

	/**
	 * Bearer tokens issued at login. They are kept where session keys are
	 * (wechat.miniapp.session.store).
	 */
	public static class Token {

		/**
		 * Absolute lifetime of a bearer token: after it, the user logs in again however
		 * active.
		 */
		private Duration timeToLive = Duration.ofDays(1);

		/**
		 * How long an unused bearer token stays valid, each use extending it (never past
		 * the time to live); 0 turns the sliding expiry off.
		 */
		private Duration idleTimeout = Duration.ZERO;

		/**
		 * Most bearer tokens the in-memory store keeps.
		 */
		private long maximumSize = 100_000;

		/**
		 * Most live bearer tokens per user: a new login beyond it revokes the user's
		 * oldest token; 0 for no bound.
		 */
		private int maxPerUser = 10;

		/**
		 * Whether a user's bearer tokens are revoked when the user's session keys are
		 * dropped by the decryption failure budget (an attack signal) or reset: the login
		 * lives as long as the session key.
		 */
		private boolean revokeWithSessionKeys = true;

		public Duration getTimeToLive() {
			return this.timeToLive;
		}

		public void setTimeToLive(Duration timeToLive) {
			this.timeToLive = timeToLive;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public long getMaximumSize() {
			return this.maximumSize;
		}

		public void setMaximumSize(long maximumSize) {
			this.maximumSize = maximumSize;
		}

		public int getMaxPerUser() {
			return this.maxPerUser;
		}

		public void setMaxPerUser(int maxPerUser) {
			this.maxPerUser = maxPerUser;
		}

		public boolean isRevokeWithSessionKeys() {
			return this.revokeWithSessionKeys;
		}

		public void setRevokeWithSessionKeys(boolean revokeWithSessionKeys) {
			this.revokeWithSessionKeys = revokeWithSessionKeys;
		}

	}

}
