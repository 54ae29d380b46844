package io.github.wechatminiapp.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.github.wechatminiapp.StoreAccessException;
import io.github.wechatminiapp.test.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.security.core.authority.AuthorityUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OpaqueMiniAppBearerTokenServiceTests {

	private static final MiniAppPrincipal ALICE = new MiniAppPrincipal("wx0123456789abcdef", "o-alice", "u-alice");

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final RecordingStore store = new RecordingStore(new CaffeineMiniAppBearerTokenStore(1000));

	private OpaqueMiniAppBearerTokenService service(Duration timeToLive, Duration idleTimeout) {
		return new OpaqueMiniAppBearerTokenService(this.store, timeToLive, idleTimeout, this.clock);
	}

	@Test
	void tokensAre256RandomBitsInBase64Url() throws Exception {
		OpaqueMiniAppBearerTokenService service = service(Duration.ofHours(1), Duration.ZERO);
		Set<String> tokens = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			String token = service.issue(ALICE, AuthorityUtils.NO_AUTHORITIES).value();
			assertThat(token).matches("[A-Za-z0-9_-]{43}");
			assertThat(java.util.Base64.getUrlDecoder().decode(token)).hasSize(32);
			tokens.add(token);
		}
		assertThat(tokens).hasSize(200);
	}

	@Test
	void theStoreKeepsOnlyTheSha256OfTheToken() throws Exception {
		String token = service(Duration.ofHours(1), Duration.ZERO)
			.issue(ALICE, AuthorityUtils.createAuthorityList("ROLE_USER"))
			.value();
		String sha256 = HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
		assertThat(this.store.savedHashes).containsExactly(sha256);
		assertThat(this.store.find(sha256)).get()
			.satisfies((record) -> assertThat(record.toString()).doesNotContain(token));
		assertThat(this.store.find(token)).isEmpty();
	}

	@Test
	void aValidTokenAuthenticatesItsUserWithTheAuthoritiesOfTheLogin() {
		OpaqueMiniAppBearerTokenService service = service(Duration.ofHours(1), Duration.ZERO);
		String token = service.issue(ALICE, AuthorityUtils.createAuthorityList("ROLE_USER", "ROLE_BUYER")).value();
		MiniAppAuthenticationToken authentication = service.authenticate(token).orElseThrow();
		assertThat(authentication.getPrincipal()).isEqualTo(ALICE);
		assertThat(authentication.getName()).isEqualTo("o-alice");
		assertThat(authentication.getCredentials()).isNull();
		assertThat(authentication.isAuthenticated()).isTrue();
		assertThat(AuthorityUtils.authorityListToSet(authentication.getAuthorities()))
			.containsExactlyInAnyOrder("ROLE_USER", "ROLE_BUYER");
	}

	@Test
	void withoutIdleTimeoutATokenLivesExactlyItsTimeToLive() {
		OpaqueMiniAppBearerTokenService service = service(Duration.ofHours(1), Duration.ZERO);
		MiniAppBearerToken issued = service.issue(ALICE, AuthorityUtils.NO_AUTHORITIES);
		assertThat(issued.expiresIn()).isEqualTo(Duration.ofHours(1));
		assertThat(this.store.timesToLive).containsExactly(Duration.ofHours(1));
		this.clock.advance(Duration.ofHours(1).minusMillis(1));
		assertThat(service.authenticate(issued.value())).isPresent();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(service.authenticate(issued.value())).isEmpty();
		assertThat(this.store.replaced).isZero();
	}

	@Test
	void withIdleTimeoutEachUseExtendsTheTokenButNeverPastItsTimeToLive() {
		OpaqueMiniAppBearerTokenService service = service(Duration.ofMinutes(30), Duration.ofMinutes(10));
		MiniAppBearerToken issued = service.issue(ALICE, AuthorityUtils.NO_AUTHORITIES);
		assertThat(issued.expiresIn()).isEqualTo(Duration.ofMinutes(10));
		for (int i = 0; i < 2; i++) {
			this.clock.advance(Duration.ofMinutes(9));
			assertThat(service.authenticate(issued.value())).isPresent();
		}
		assertThat(this.store.timesToLive).containsExactly(Duration.ofMinutes(10), Duration.ofMinutes(10),
				Duration.ofMinutes(10));
		// 18 minutes in: the next use may extend to 30 at most.
		this.clock.advance(Duration.ofMinutes(9));
		assertThat(service.authenticate(issued.value())).isPresent();
		assertThat(this.store.timesToLive.get(3)).isEqualTo(Duration.ofMinutes(3));
		this.clock.advance(Duration.ofMinutes(3).minusMillis(1));
		assertThat(service.authenticate(issued.value())).isPresent();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(service.authenticate(issued.value())).isEmpty();
	}

	@Test
	void anUnusedTokenDiesAfterTheIdleTimeout() {
		OpaqueMiniAppBearerTokenService service = service(Duration.ofHours(1), Duration.ofMinutes(10));
		String token = service.issue(ALICE, AuthorityUtils.NO_AUTHORITIES).value();
		this.clock.advance(Duration.ofMinutes(10));
		assertThat(service.authenticate(token)).isEmpty();
	}

	@Test
	void anIdleTimeoutLongerThanTheTimeToLiveIsCappedByIt() {
		MiniAppBearerToken issued = service(Duration.ofMinutes(5), Duration.ofMinutes(10)).issue(ALICE,
				AuthorityUtils.NO_AUTHORITIES);
		assertThat(issued.expiresIn()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void aRevokedTokenNoLongerAuthenticates() {
		OpaqueMiniAppBearerTokenService service = service(Duration.ofHours(1), Duration.ZERO);
		String token = service.issue(ALICE, AuthorityUtils.NO_AUTHORITIES).value();
		String other = service.issue(ALICE, AuthorityUtils.NO_AUTHORITIES).value();
		service.revoke(token);
		assertThat(service.authenticate(token)).isEmpty();
		assertThat(service.authenticate(other)).isPresent();
	}

	@Test
	void extendingARevokedTokenDoesNotBringItBack() {
		CaffeineMiniAppBearerTokenStore caffeine = new CaffeineMiniAppBearerTokenStore(10);
		MiniAppBearerTokenRecord record = new MiniAppBearerTokenRecord(ALICE, List.of(), Instant.MAX, Instant.MAX);
		caffeine.save("h", record, Duration.ofMinutes(1));
		caffeine.remove("h");
		caffeine.replaceIfPresent("h", record, Duration.ofMinutes(1));
		assertThat(caffeine.find("h")).isEmpty();
		caffeine.save("h", record, Duration.ofMinutes(1));
		MiniAppBearerTokenRecord later = record.withExpiry(Instant.EPOCH);
		caffeine.replaceIfPresent("h", later, Duration.ofMinutes(1));
		assertThat(caffeine.find("h")).contains(later);
	}

	@Test
	void forgedAndMalformedTokensAreRefusedWithoutAskingTheStore() {
		OpaqueMiniAppBearerTokenService service = new OpaqueMiniAppBearerTokenService(new FailingStore(),
				Duration.ofHours(1), Duration.ZERO, this.clock);
		for (String token : new String[] { null, "", "a", "x".repeat(42), "x".repeat(44), "x".repeat(10_000),
				"x".repeat(42) + "=", "x".repeat(42) + "/", "x".repeat(42) + "+", "x".repeat(42) + " " }) {
			assertThat(service.authenticate(token)).as(String.valueOf(token)).isEmpty();
			service.revoke(token);
		}
	}

	@Test
	void aWellFormedTokenNeverIssuedIsRefused() {
		assertThat(service(Duration.ofHours(1), Duration.ZERO).authenticate("A".repeat(43))).isEmpty();
	}

	@Test
	void storeFailuresPropagateAndNeverAuthenticate() {
		OpaqueMiniAppBearerTokenService service = new OpaqueMiniAppBearerTokenService(new FailingStore(),
				Duration.ofHours(1), Duration.ZERO, this.clock);
		org.assertj.core.api.Assertions.assertThatExceptionOfType(StoreAccessException.class)
			.isThrownBy(() -> service.authenticate("A".repeat(43)));
		org.assertj.core.api.Assertions.assertThatExceptionOfType(StoreAccessException.class)
			.isThrownBy(() -> service.revoke("A".repeat(43)));
		org.assertj.core.api.Assertions.assertThatExceptionOfType(StoreAccessException.class)
			.isThrownBy(() -> service.issue(ALICE, AuthorityUtils.NO_AUTHORITIES));
	}

	@Test
	void lifetimesAreChecked() {
		assertThatIllegalArgumentException().isThrownBy(() -> service(Duration.ofMillis(999), Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> service(Duration.ZERO, Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> service(Duration.ofHours(1), Duration.ofMillis(-1)));
		assertThat(
				service(Duration.ofSeconds(1), Duration.ZERO).issue(ALICE, AuthorityUtils.NO_AUTHORITIES).expiresIn())
			.isEqualTo(Duration.ofSeconds(1));
		assertThatIllegalArgumentException().isThrownBy(() -> new CaffeineMiniAppBearerTokenStore(0));
	}

	@Test
	void theIssuedTokenNeverShowsInToString() {
		MiniAppBearerToken issued = service(Duration.ofHours(1), Duration.ZERO).issue(ALICE,
				AuthorityUtils.NO_AUTHORITIES);
		assertThat(issued.toString()).doesNotContain(issued.value()).contains("PT1H");
	}

	@Test
	void aPrincipalNeedsAnAppIdAndAnOpenid() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MiniAppPrincipal("", "o", null));
		assertThatIllegalArgumentException().isThrownBy(() -> new MiniAppPrincipal("wx", " ", null));
		assertThat(new MiniAppPrincipal("wx", "o", null).unionid()).isNull();
	}

	static final class RecordingStore implements MiniAppBearerTokenStore {

		private final MiniAppBearerTokenStore delegate;

		final List<String> savedHashes = new ArrayList<>();

		final List<Duration> timesToLive = new ArrayList<>();

		int replaced;

		RecordingStore(MiniAppBearerTokenStore delegate) {
			this.delegate = delegate;
		}

		@Override
		public void save(String tokenHash, MiniAppBearerTokenRecord record, Duration timeToLive) {
			this.savedHashes.add(tokenHash);
			this.timesToLive.add(timeToLive);
			this.delegate.save(tokenHash, record, timeToLive);
		}

		@Override
		public void replaceIfPresent(String tokenHash, MiniAppBearerTokenRecord record, Duration timeToLive) {
			this.replaced++;
			this.timesToLive.add(timeToLive);
			this.delegate.replaceIfPresent(tokenHash, record, timeToLive);
		}

		@Override
		public Optional<MiniAppBearerTokenRecord> find(String tokenHash) {
			return this.delegate.find(tokenHash);
		}

		@Override
		public void remove(String tokenHash) {
			this.delegate.remove(tokenHash);
		}

		@Override
		public List<String> findTokenHashes(String appId, String openid) {
			return this.delegate.findTokenHashes(appId, openid);
		}

		@Override
		public void removeAll(String appId, String openid) {
			this.delegate.removeAll(appId, openid);
		}

	}

	static final class FailingStore implements MiniAppBearerTokenStore {

		private static StoreAccessException failure() {
			return new StoreAccessException("test", "bearer tokens", new IllegalStateException("down"));
		}

		@Override
		public void save(String tokenHash, MiniAppBearerTokenRecord record, Duration timeToLive) {
			throw failure();
		}

		@Override
		public void replaceIfPresent(String tokenHash, MiniAppBearerTokenRecord record, Duration timeToLive) {
			throw failure();
		}

		@Override
		public Optional<MiniAppBearerTokenRecord> find(String tokenHash) {
			throw failure();
		}

		@Override
		public void remove(String tokenHash) {
			throw failure();
		}

		@Override
		public List<String> findTokenHashes(String appId, String openid) {
			throw failure();
		}

		@Override
		public void removeAll(String appId, String openid) {
			throw failure();
		}

	}

}
