package io.github.wechatminiapp.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Codes that can be redeemed once within a lifetime, like {@code wx.login} codes and
 * phone codes. Redeemed codes are remembered, so reuse can be told apart from an unknown
 * code.
 */
final class OneTimeCodes {

	private final Map<String, Entry> codes = new HashMap<>();

	private final Clock clock;

	private final Duration ttl;

	private final Supplier<String> generator;

	OneTimeCodes(Clock clock, Duration ttl, Supplier<String> generator) {
		this.clock = clock;
		this.ttl = ttl;
		this.generator = generator;
	}

	synchronized String mint(String openid) {
		Instant now = this.clock.instant();
		String code;
		do {
			code = this.generator.get();
		}
		while (this.codes.containsKey(code));
		this.codes.put(code, new Entry(openid, now, now.plus(this.ttl)));
		return code;
	}

	/**
	 * Checking and marking used happen under one lock, so two concurrent redemptions
	 * cannot both win.
	 * @param code the code presented, or {@code null}
	 * @return the outcome and, when it is known, the code's user and minting time
	 */
	synchronized Redemption redeem(@Nullable String code) {
		return redeem(code, (openid) -> true, null);
	}

	/**
	 * Redeems a code only for the app it was minted for: another app's code is unknown
	 * here, as on WeChat, and stays usable by its own app.
	 * @param code the code presented, or {@code null}
	 * @param ownedByCaller whether the code's user belongs to the calling app
	 * @return the outcome and, when it is known, the code's user and minting time
	 */
	synchronized Redemption redeem(@Nullable String code, java.util.function.Predicate<String> ownedByCaller) {
		return redeem(code, ownedByCaller, null);
	}

	/**
	 * Redeems a code only for the app it was minted for and, when the caller names one,
	 * only for the user it was minted for. A code presented with another user's openid
	 * stays unused, so whoever intercepted it cannot burn it for its owner, and says
	 * nothing of its state.
	 * @param code the code presented, or {@code null}
	 * @param ownedByCaller whether the code's user belongs to the calling app
	 * @param expectedOpenid the user the caller claims the code belongs to, or null when
	 * unbound
	 * @return the outcome and, when it is known, the code's user and minting time
	 */
	synchronized Redemption redeem(@Nullable String code, java.util.function.Predicate<String> ownedByCaller,
			@Nullable String expectedOpenid) {
		Entry entry = (code != null) ? this.codes.get(code) : null;
		if (entry == null || !ownedByCaller.test(entry.openid)) {
			return new Redemption(Outcome.UNKNOWN, null, null);
		}
		if (expectedOpenid != null && !expectedOpenid.equals(entry.openid)) {
			return new Redemption(Outcome.OTHER_USER, null, null);
		}
		if (entry.used) {
			return new Redemption(Outcome.USED, entry.openid, entry.mintedAt);
		}
		if (!this.clock.instant().isBefore(entry.expiresAt)) {
			return new Redemption(Outcome.EXPIRED, entry.openid, entry.mintedAt);
		}
		entry.used = true;
		return new Redemption(Outcome.OK, entry.openid, entry.mintedAt);
	}

	enum Outcome {

		OK, UNKNOWN, USED, EXPIRED, OTHER_USER

	}

	record Redemption(Outcome outcome, @Nullable String openid, @Nullable Instant mintedAt) {
	}

	private static final class Entry {

		private final String openid;

		private final Instant mintedAt;

		private final Instant expiresAt;

		private boolean used;

		private Entry(String openid, Instant mintedAt, Instant expiresAt) {
			this.openid = openid;
			this.mintedAt = mintedAt;
			this.expiresAt = expiresAt;
		}

	}

}
