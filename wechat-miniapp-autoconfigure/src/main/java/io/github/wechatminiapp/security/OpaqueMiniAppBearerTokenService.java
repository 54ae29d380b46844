package io.github.wechatminiapp.security;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.github.wechatminiapp.crypto.Sha256;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.util.Assert;

/**
 * Opaque bearer tokens: 256 random bits from {@link SecureRandom}, Base64url without
 * padding (43 characters). The store keeps only the token's SHA-256, so a copy of the
 * store lets nobody in. A token lives at most its time to live; with an idle timeout it
 * also dies when unused for that long, each use pushing the end back (never past the time
 * to live).
 */
public final class OpaqueMiniAppBearerTokenService implements MiniAppBearerTokenService {

	/** The default bound of live tokens per user. */
	public static final int DEFAULT_MAXIMUM_TOKENS_PER_USER = 10;

	private static final int TOKEN_BYTES = 32;

	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

	private final MiniAppBearerTokenStore store;

	private final Duration timeToLive;

	private final Duration idleTimeout;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	private int maximumTokensPerUser = DEFAULT_MAXIMUM_TOKENS_PER_USER;

	/**
	 * Creates the service.
	 * @param store where tokens are kept
	 * @param timeToLive the absolute lifetime of a token
	 * @param idleTimeout how long an unused token stays valid; zero for no sliding expiry
	 * @param clock the clock expiry is measured with
	 */
	public OpaqueMiniAppBearerTokenService(MiniAppBearerTokenStore store, Duration timeToLive, Duration idleTimeout,
			Clock clock) {
		Assert.notNull(store, "store must not be null");
		Assert.isTrue(timeToLive.compareTo(Duration.ofSeconds(1)) >= 0, "timeToLive must be at least one second");
		Assert.isTrue(!idleTimeout.isNegative(), "idleTimeout must not be negative");
		this.store = store;
		this.timeToLive = timeToLive;
		this.idleTimeout = idleTimeout;
		this.clock = clock;
	}

	/**
	 * Bounds the live tokens of one user: issuing one more revokes the oldest, so that a
	 * user (or a stolen account) cannot hoard tokens.
	 * @param maximumTokensPerUser the bound, {@value #DEFAULT_MAXIMUM_TOKENS_PER_USER} by
	 * default; zero for none
	 */
	public void setMaximumTokensPerUser(int maximumTokensPerUser) {
		Assert.isTrue(maximumTokensPerUser >= 0, "maximumTokensPerUser must not be negative");
		this.maximumTokensPerUser = maximumTokensPerUser;
	}

	@Override
	public MiniAppBearerToken issue(MiniAppPrincipal principal, Collection<? extends GrantedAuthority> authorities) {
		byte[] bytes = new byte[TOKEN_BYTES];
		this.random.nextBytes(bytes);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		Instant now = this.clock.instant();
		Instant absoluteExpiry = now.plus(this.timeToLive);
		Instant expiry = slidingExpiry(now, absoluteExpiry);
		List<String> names = authorities.stream().map(GrantedAuthority::getAuthority).toList();
		this.store.save(hash(token), new MiniAppBearerTokenRecord(principal, names, absoluteExpiry, expiry),
				Duration.between(now, expiry));
		if (this.maximumTokensPerUser > 0) {
			List<String> live = this.store.findTokenHashes(principal.appId(), principal.openid());
			for (int i = 0; i < live.size() - this.maximumTokensPerUser; i++) {
				this.store.remove(live.get(i));
			}
		}
		return new MiniAppBearerToken(token, Duration.between(now, expiry));
	}

	@Override
	public Optional<MiniAppAuthenticationToken> authenticate(String token) {
		if (!isWellFormed(token)) {
			return Optional.empty();
		}
		String hash = hash(token);
		Optional<MiniAppBearerTokenRecord> found = this.store.find(hash);
		if (found.isEmpty()) {
			return Optional.empty();
		}
		MiniAppBearerTokenRecord record = found.get();
		Instant now = this.clock.instant();
		// The store's own expiry may lag (Caffeine evicts lazily, clocks of instances
		// differ): the record decides.
		if (!now.isBefore(record.expiry())) {
			return Optional.empty();
		}
		if (!this.idleTimeout.isZero()) {
			Instant extended = slidingExpiry(now, record.absoluteExpiry());
			this.store.replaceIfPresent(hash, record.withExpiry(extended), Duration.between(now, extended));
		}
		return Optional.of(new MiniAppAuthenticationToken(record.principal(),
				AuthorityUtils.createAuthorityList(record.authorities())));
	}

	@Override
	public void revoke(String token) {
		if (isWellFormed(token)) {
			this.store.remove(hash(token));
		}
	}

	@Override
	public void revokeAll(String appId, String openid) {
		this.store.removeAll(appId, openid);
	}

	private Instant slidingExpiry(Instant now, Instant absoluteExpiry) {
		if (this.idleTimeout.isZero()) {
			return absoluteExpiry;
		}
		Instant idleExpiry = now.plus(this.idleTimeout);
		return idleExpiry.isBefore(absoluteExpiry) ? idleExpiry : absoluteExpiry;
	}

	/**
	 * Anything else was not issued here: refused before the store is asked, whatever its
	 * length.
	 * @param token the token the client presented, or {@code null}
	 * @return whether the token has the form of the tokens issued here
	 */
	static boolean isWellFormed(String token) {
		return token != null && TOKEN.matcher(token).matches();
	}

	static String hash(String token) {
		return HexFormat.of().formatHex(Sha256.digest(token.getBytes(StandardCharsets.US_ASCII)));
	}

}
