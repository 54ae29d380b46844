package io.github.wechatminiapp.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Access tokens of both kinds: {@code /cgi-bin/token}'s, where every call supersedes the
 * previous token, and {@code /cgi-bin/stable_token}'s, shared while valid. The two kinds
 * never invalidate each other. A forced {@code stable_token} call replaces the stable
 * token, unless it comes less than 30 s after the previous forced call (the current token
 * is answered unchanged); past 20 forced calls a day (WeChat's day, UTC+8) it is refused
 * with 45009. In normal mode, as WeChat does, the stable token is renewed in the last 5
 * minutes of its life (the last 24th of a shorter lifetime) and the previous one stays
 * valid until it expires, so {@code expires_in} is never below that window and callers
 * holding the previous token are not cut off.
 */
final class AccessTokens {

	/** How often a forced stable_token call really replaces the token. */
	static final Duration FORCED_REFRESH_INTERVAL = Duration.ofSeconds(WeChatSandbox.FORCED_REFRESH_INTERVAL_SECONDS);

	/** Forced stable_token calls allowed per app and day. */
	static final int FORCED_REFRESHES_PER_DAY = WeChatSandbox.FORCED_REFRESHES_PER_DAY;

	/**
	 * WeChat renews a stable token this long before it expires, keeping both valid
	 * meanwhile.
	 */
	static final Duration STABLE_RENEWAL_WINDOW = Duration.ofMinutes(5);

	/** WeChat counts daily quotas by Beijing time. */
	private static final ZoneId WECHAT_ZONE = ZoneId.of("Asia/Shanghai");

	private final Map<String, Token> tokens = new HashMap<>();

	private final Clock clock;

	private final Duration ttl;

	private final Duration renewalWindow;

	private @Nullable Token latestToken;

	private @Nullable Token stableToken;

	private @Nullable Instant lastForcedRefresh;

	private @Nullable LocalDate forcedDay;

	private int forcedToday;

	private int forcedCalls;

	private boolean stableTokenRejected;

	AccessTokens(Clock clock, Duration ttl) {
		this.clock = clock;
		this.ttl = ttl;
		// 5 minutes of WeChat's 2 hours; a sandbox with short-lived tokens renews in the
		// same proportion.
		Duration proportional = ttl.dividedBy(24);
		this.renewalWindow = (proportional.compareTo(STABLE_RENEWAL_WINDOW) < 0) ? proportional : STABLE_RENEWAL_WINDOW;
	}

	synchronized Issued issueToken() {
		// WeChat keeps the old token alive for a few minutes; the sandbox drops it at
		// once, so a client that
		// relies on the grace period fails here rather than in production.
		if (this.latestToken != null) {
			this.latestToken.revoked = true;
		}
		this.latestToken = newToken();
		return new Issued(this.latestToken.value, this.ttl.toSeconds());
	}

	/**
	 * The token of {@code getStableAccessToken}, shared by all callers until it expires,
	 * as WeChat's is.
	 * @param forceRefresh whether the caller asked for a new token
	 * @return the token, or null when a forced call is refused (45009)
	 */
	synchronized @Nullable Issued stableToken(boolean forceRefresh) {
		Instant now = this.clock.instant();
		// A rejected token is handed out again until it expires: that is the trap a
		// forced refresh gets out of.
		boolean replace = this.stableToken == null || !now.isBefore(this.stableToken.expiresAt)
				|| (!isValid(this.stableToken, now) && !this.stableTokenRejected);
		// A normal renewal leaves the previous token valid until it expires; only a
		// forced one revokes it.
		boolean renew = !replace && !now.isBefore(this.stableToken.expiresAt.minus(this.renewalWindow));
		if (forceRefresh) {
			this.forcedCalls++;
			LocalDate today = LocalDate.ofInstant(now, WECHAT_ZONE);
			if (!today.equals(this.forcedDay)) {
				this.forcedDay = today;
				this.forcedToday = 0;
			}
			if (this.forcedToday >= FORCED_REFRESHES_PER_DAY) {
				return null;
			}
			this.forcedToday++;
			if (this.lastForcedRefresh == null || !now.isBefore(this.lastForcedRefresh.plus(FORCED_REFRESH_INTERVAL))) {
				this.lastForcedRefresh = now;
				replace = true;
			}
		}
		if (replace) {
			if (this.stableToken != null) {
				this.stableToken.revoked = true;
			}
		}
		if (replace || renew) {
			this.stableToken = newToken();
			this.stableTokenRejected = false;
		}
		return new Issued(this.stableToken.value, remainingSeconds(this.stableToken, now));
	}

	/**
	 * Makes calls reject the current stable token with 40001 while normal-mode
	 * stable_token keeps answering it, as WeChat does when a token was revoked behind its
	 * back: only a forced call replaces it.
	 */
	synchronized void rejectStableToken() {
		if (this.stableToken != null) {
			this.stableToken.revoked = true;
			this.stableTokenRejected = true;
		}
	}

	synchronized int forcedCalls() {
		return this.forcedCalls;
	}

	synchronized void resetForcedCalls() {
		this.forcedCalls = 0;
	}

	synchronized Status check(String value) {
		Token token = this.tokens.get(value);
		if (token == null || token.revoked) {
			return Status.INVALID;
		}
		return isValid(token, this.clock.instant()) ? Status.VALID : Status.EXPIRED;
	}

	/**
	 * Whether this app issued the token, valid or not.
	 * @param value the token
	 * @return whether this app issued it
	 */
	synchronized boolean issued(String value) {
		return this.tokens.containsKey(value);
	}

	synchronized void expireAll() {
		this.tokens.values().forEach((token) -> token.expired = true);
	}

	synchronized void revokeAll() {
		this.tokens.values().forEach((token) -> token.revoked = true);
	}

	private Token newToken() {
		String value;
		do {
			value = SandboxRandom.urlSafe(136);
		}
		while (this.tokens.containsKey(value));
		Token token = new Token(IssuedSecrets.secret(value), this.clock.instant().plus(this.ttl));
		this.tokens.put(value, token);
		return token;
	}

	private static boolean isValid(Token token, Instant now) {
		return !token.revoked && !token.expired && now.isBefore(token.expiresAt);
	}

	/**
	 * Rounded up, so a token that is still valid never reports 0 seconds left.
	 * @param token the token
	 * @param now the sandbox clock's time
	 * @return the seconds left
	 */
	private static long remainingSeconds(Token token, Instant now) {
		Duration remaining = Duration.between(now, token.expiresAt);
		return remaining.getSeconds() + ((remaining.getNano() > 0) ? 1 : 0);
	}

	enum Status {

		VALID, INVALID, EXPIRED

	}

	record Issued(String accessToken, long expiresIn) {
	}

	private static final class Token {

		private final String value;

		private final Instant expiresAt;

		private boolean revoked;

		private boolean expired;

		private Token(String value, Instant expiresAt) {
			this.value = value;
			this.expiresAt = expiresAt;
		}

	}

}
