package io.github.wechatminiapp.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the Spring Security login ({@code miniAppLogin()}): bearer tokens and the default role.
 */
@ConfigurationProperties("wechat.miniapp.security")
public class WeChatMiniAppSecurityProperties {

	/**
	 * Role granted to every logged-in user when the application declares no MiniAppUserService bean; the authority
	 * is "ROLE_" followed by it.
	 */
	private String defaultRole = "USER";

	private final Token token = new Token();

	public String getDefaultRole() {
		return this.defaultRole;
	}

	public void setDefaultRole(String defaultRole) {
		this.defaultRole = defaultRole;
	}

	public Token getToken() {
		return this.token;
	}

	/**
	 * Bearer tokens issued at login. They are kept where session keys are (wechat.miniapp.session.store).
	 */
	public static class Token {

		/**
		 * Absolute lifetime of a bearer token: after it, the user logs in again however active.
		 */
		private Duration timeToLive = Duration.ofDays(1);

		/**
		 * How long an unused bearer token stays valid, each use extending it (never past the time to live); 0
		 * turns the sliding expiry off.
		 */
		private Duration idleTimeout = Duration.ZERO;

		/**
		 * Most bearer tokens the in-memory store keeps.
		 */
		private long maximumSize = 100_000;

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

	}

}
