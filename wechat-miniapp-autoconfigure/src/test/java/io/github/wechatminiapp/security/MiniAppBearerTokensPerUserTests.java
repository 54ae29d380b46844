package io.github.wechatminiapp.security;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.github.wechatminiapp.StoreAccessException;
import io.github.wechatminiapp.test.MutableClock;
import io.github.wechatminiapp.testsupport.redis.EmbeddedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.core.authority.AuthorityUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A user's tokens, listed by user in memory and on a real Redis: at most so many live,
 * the oldest revoked first, and all revoked at once.
 */
class MiniAppBearerTokensPerUserTests {

	private static final EmbeddedRedis redis = EmbeddedRedis.start();

	private static final LettuceConnectionFactory connectionFactory = redis.connectionFactory();

	private static final MiniAppPrincipal ALICE = new MiniAppPrincipal("wx0123456789abcdef", "o-alice", null);

	private static final MiniAppPrincipal ALICE_IN_OTHER_APP = new MiniAppPrincipal("wx1111111111111111", "o-alice",
			null);

	private static final MiniAppPrincipal BOB = new MiniAppPrincipal("wx0123456789abcdef", "o-bob", null);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	@AfterAll
	static void stop() {
		connectionFactory.destroy();
		redis.close();
	}

	private static StringRedisTemplate template() {
		StringRedisTemplate template = new StringRedisTemplate(connectionFactory);
		template.afterPropertiesSet();
		return template;
	}

	@Test
	void inMemoryTwelveLoginsLeaveTheNewestTen() {
		twelveLoginsLeaveTheNewestTen(() -> new CaffeineMiniAppBearerTokenStore(1000));
	}

	@Test
	void onRedisTwelveLoginsLeaveTheNewestTen() {
		twelveLoginsLeaveTheNewestTen(() -> new RedisMiniAppBearerTokenStore(template(), "per-user-1:"));
	}

	@Test
	void inMemoryRevokeAllEndsOneUsersTokensOnly() {
		revokeAllEndsOneUsersTokensOnly(new CaffeineMiniAppBearerTokenStore(1000));
	}

	@Test
	void onRedisRevokeAllEndsOneUsersTokensOnly() {
		revokeAllEndsOneUsersTokensOnly(new RedisMiniAppBearerTokenStore(template(), "per-user-2:"));
		assertThat(template().keys("per-user-2:bearer-tokens-of:wx0123456789abcdef:o-alice")).isEmpty();
	}

	@Test
	void inMemoryExpiredAndRevokedTokensAreNotListed() {
		expiredAndRevokedTokensAreNotListed(new CaffeineMiniAppBearerTokenStore(1000));
	}

	@Test
	void onRedisExpiredAndRevokedTokensAreNotListed() {
		StringRedisTemplate template = template();
		expiredAndRevokedTokensAreNotListed(new RedisMiniAppBearerTokenStore(template, "per-user-3:"));
		// Listed no more, and dropped from the user's list in passing.
		assertThat(template.opsForZSet().size("per-user-3:bearer-tokens-of:wx0123456789abcdef:o-alice")).isEqualTo(1);
	}

	@Test
	void onRedisTheUsersListLivesAsLongAsTheNewestTokenCan() {
		StringRedisTemplate template = template();
		RedisMiniAppBearerTokenStore store = new RedisMiniAppBearerTokenStore(template, "per-user-4:");
		OpaqueMiniAppBearerTokenService tokens = new OpaqueMiniAppBearerTokenService(store, Duration.ofHours(2),
				Duration.ofMinutes(10), this.clock);
		tokens.issue(ALICE, AuthorityUtils.NO_AUTHORITIES);
		// The token's key lives its idle timeout, the user's list the token's whole time
		// to live.
		assertThat(template.getExpire("per-user-4:bearer-tokens-of:wx0123456789abcdef:o-alice")).isBetween(7100L,
				7200L);
		assertThat(store.findTokenHashes(ALICE.appId(), ALICE.openid())).hasSize(1);
		assertThat(store.findTokenHashes(BOB.appId(), BOB.openid())).isEmpty();
	}

	@Test
	void withoutABoundAUserKeepsEveryToken() {
		CaffeineMiniAppBearerTokenStore store = new CaffeineMiniAppBearerTokenStore(1000);
		OpaqueMiniAppBearerTokenService tokens = service(store);
		tokens.setMaximumTokensPerUser(0);
		List<String> issued = issue(tokens, ALICE, 12);
		assertThat(issued).allSatisfy((token) -> assertThat(tokens.authenticate(token)).isPresent());
		assertThatIllegalArgumentException().isThrownBy(() -> tokens.setMaximumTokensPerUser(-1));
	}

	@Test
	void theBoundIsExact() {
		OpaqueMiniAppBearerTokenService tokens = service(new CaffeineMiniAppBearerTokenStore(1000));
		tokens.setMaximumTokensPerUser(1);
		String first = issue(tokens, ALICE, 1).get(0);
		assertThat(tokens.authenticate(first)).isPresent();
		String second = issue(tokens, ALICE, 1).get(0);
		assertThat(tokens.authenticate(first)).isEmpty();
		assertThat(tokens.authenticate(second)).isPresent();
		assertThat(OpaqueMiniAppBearerTokenService.DEFAULT_MAXIMUM_TOKENS_PER_USER).isEqualTo(10);
	}

	@Test
	void aFailingRedisIsAStoreAccessException() {
		LettuceConnectionFactory nowhere = new LettuceConnectionFactory("127.0.0.1", 1);
		nowhere.afterPropertiesSet();
		try {
			StringRedisTemplate template = new StringRedisTemplate(nowhere);
			template.afterPropertiesSet();
			RedisMiniAppBearerTokenStore store = new RedisMiniAppBearerTokenStore(template, "x:");
			assertThatExceptionOfType(StoreAccessException.class)
				.isThrownBy(() -> store.findTokenHashes("wx0123456789abcdef", "o"));
			assertThatExceptionOfType(StoreAccessException.class)
				.isThrownBy(() -> store.removeAll("wx0123456789abcdef", "o"));
		}
		finally {
			nowhere.destroy();
		}
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisMiniAppBearerTokenStore(null, "x:"));
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisMiniAppBearerTokenStore(template(), null));
	}

	private void twelveLoginsLeaveTheNewestTen(Supplier<MiniAppBearerTokenStore> stores) {
		MiniAppBearerTokenStore store = stores.get();
		OpaqueMiniAppBearerTokenService tokens = service(store);
		List<String> issued = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			issued.addAll(issue(tokens, ALICE, 1));
			this.clock.advance(Duration.ofMillis(5));
		}
		String bobs = issue(tokens, BOB, 1).get(0);
		assertThat(tokens.authenticate(issued.get(0))).isEmpty();
		assertThat(tokens.authenticate(issued.get(1))).isEmpty();
		for (String token : issued.subList(2, 12)) {
			assertThat(tokens.authenticate(token)).isPresent();
		}
		assertThat(store.findTokenHashes(ALICE.appId(), ALICE.openid())).containsExactlyElementsOf(
				issued.subList(2, 12).stream().map(OpaqueMiniAppBearerTokenService::hash).toList());
		assertThat(tokens.authenticate(bobs)).isPresent();
	}

	private void revokeAllEndsOneUsersTokensOnly(MiniAppBearerTokenStore store) {
		OpaqueMiniAppBearerTokenService tokens = service(store);
		List<String> alices = issue(tokens, ALICE, 3);
		String alicesInOtherApp = issue(tokens, ALICE_IN_OTHER_APP, 1).get(0);
		String bobs = issue(tokens, BOB, 1).get(0);
		tokens.revokeAll(ALICE.appId(), ALICE.openid());
		assertThat(alices).allSatisfy((token) -> assertThat(tokens.authenticate(token)).isEmpty());
		assertThat(store.findTokenHashes(ALICE.appId(), ALICE.openid())).isEmpty();
		assertThat(tokens.authenticate(alicesInOtherApp)).isPresent();
		assertThat(tokens.authenticate(bobs)).isPresent();
		// Nothing to revoke is no failure.
		tokens.revokeAll(ALICE.appId(), ALICE.openid());
		tokens.revokeAll(ALICE.appId(), "o-nobody");
		assertThat(tokens.authenticate(bobs)).isPresent();
	}

	private void expiredAndRevokedTokensAreNotListed(MiniAppBearerTokenStore store) {
		OpaqueMiniAppBearerTokenService tokens = service(store);
		List<String> issued = issue(tokens, ALICE, 2);
		tokens.revoke(issued.get(0));
		assertThat(store.findTokenHashes(ALICE.appId(), ALICE.openid()))
			.containsExactly(OpaqueMiniAppBearerTokenService.hash(issued.get(1)));
	}

	private OpaqueMiniAppBearerTokenService service(MiniAppBearerTokenStore store) {
		return new OpaqueMiniAppBearerTokenService(store, Duration.ofHours(1), Duration.ZERO, this.clock);
	}

	private static List<String> issue(OpaqueMiniAppBearerTokenService tokens, MiniAppPrincipal user, int count) {
		List<String> issued = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			issued.add(tokens.issue(user, AuthorityUtils.createAuthorityList("ROLE_USER")).value());
		}
		return issued;
	}

}
