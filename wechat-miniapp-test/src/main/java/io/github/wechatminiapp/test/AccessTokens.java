package io.github.wechatminiapp.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Access tokens of both kinds: {@code /cgi-bin/token}'s, where every call supersedes the previous token, and
 * {@code /cgi-bin/stable_token}'s, shared while valid. The two kinds never invalidate each other.
 */
final class AccessTokens {

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

	private final Map<String, Token> tokens = new HashMap<>();

	private final Clock clock;

	private final Duration ttl;

	private Token latestToken;

	private Token stableToken;

	AccessTokens(Clock clock, Duration ttl) {
		this.clock = clock;
		this.ttl = ttl;
	}

	synchronized Issued issueToken() {
		// WeChat keeps the old token alive for a few minutes; the sandbox drops it at once, so a client that
		// relies on the grace period fails here rather than in production.
		if (this.latestToken != null) {
			this.latestToken.revoked = true;
		}
		this.latestToken = newToken();
		return new Issued(this.latestToken.value, this.ttl.toSeconds());
	}

	synchronized Issued stableToken(boolean forceRefresh) {
		Instant now = this.clock.instant();
		if (forceRefresh || this.stableToken == null || !isValid(this.stableToken, now)) {
			if (this.stableToken != null) {
				this.stableToken.revoked = true;
			}
			this.stableToken = newToken();
		}
		return new Issued(this.stableToken.value, remainingSeconds(this.stableToken, now));
	}

	synchronized Status check(String value) {
		Token token = this.tokens.get(value);
		if (token == null || token.revoked) {
			return Status.INVALID;
		}
		return isValid(token, this.clock.instant()) ? Status.VALID : Status.EXPIRED;
	}

	/** Whether this app issued the token, valid or not. */
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

	/** Rounded up, so a token that is still valid never reports 0 seconds left. */
	private static long remainingSeconds(Token token, Instant now) {
		Duration remaining = Duration.between(now, token.expiresAt);
		return remaining.getSeconds() + ((remaining.getNano() > 0) ? 1 : 0);
	}

}
