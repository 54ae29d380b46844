package io.github.wechatminiapp.test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.github.wechatminiapp.test.SandboxHttp.errcode;
import static io.github.wechatminiapp.test.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

class AccessTokenTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T08:00:00Z"));

	private final WeChatSandbox sandbox = WeChatSandbox.builder().clock(this.clock).start();

	private final SandboxHttp http = new SandboxHttp(this.sandbox);

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	/**
	 * A call that needs a token and answers 0 when it is valid: checksession with a
	 * correct signature.
	 */
	private int use(String accessToken) {
		WeChatSandboxUser user = this.sandbox.createUser();
		return errcode(this.http.checkSession(accessToken, user.openid(),
				SandboxHttp.signature(this.sandbox.sessionKey(user))));
	}

	@Test
	void tokenIssuesAWeChatShapedToken() {
		HttpResponse<String> response = this.http.get("/cgi-bin/token?grant_type=client_credential&appid="
				+ this.sandbox.appId() + "&secret=" + this.sandbox.appSecret());
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		JsonNode body = json(response);
		assertThat(body.get("access_token").asString()).matches("[A-Za-z0-9_-]{136}");
		assertThat(body.get("expires_in").asLong()).isEqualTo(7200);
		assertThat(use(body.get("access_token").asString())).isZero();
	}

	@Test
	void eachTokenCallInvalidatesThePreviousToken() {
		String first = this.http.token();
		String second = this.http.token();
		assertThat(second).isNotEqualTo(first);
		assertThat(use(second)).isZero();
		JsonNode stale = this.http.checkSession(first, "oWhoever", "00");
		assertThat(errcode(stale)).isEqualTo(40001);
		assertThat(stale.get("errmsg").asString())
			.startsWith("invalid credential, access_token is invalid or not latest, rid: ");
	}

	@Test
	void tokenChecksTheApp() {
		assertThat(errcode(this.http
			.getJson("/cgi-bin/token?grant_type=client_credential&appid=wxother&secret=" + this.sandbox.appSecret())))
			.isEqualTo(40013);
		assertThat(errcode(this.http
			.getJson("/cgi-bin/token?grant_type=client_credential&appid=" + this.sandbox.appId() + "&secret=nope")))
			.isEqualTo(40125);
		assertThat(errcode(this.http.getJson("/cgi-bin/token?grant_type=password&appid=" + this.sandbox.appId()
				+ "&secret=" + this.sandbox.appSecret())))
			.isEqualTo(40002);
	}

	@Test
	void stableTokenIsSharedWhileValidWithRemainingLifetime() {
		JsonNode first = this.http.stableToken(false);
		assertThat(first.get("expires_in").asLong()).isEqualTo(7200);
		this.clock.advance(Duration.ofSeconds(1000));
		JsonNode second = this.http.stableToken(false);
		assertThat(second.get("access_token").asString()).isEqualTo(first.get("access_token").asString());
		assertThat(second.get("expires_in").asLong()).isEqualTo(6200);
		assertThat(use(second.get("access_token").asString())).isZero();
	}

	@Test
	void forceRefreshIssuesANewStableTokenAndInvalidatesTheOld() {
		String old = this.http.stableToken(false).get("access_token").asString();
		JsonNode refreshed = this.http.stableToken(true);
		String fresh = refreshed.get("access_token").asString();
		assertThat(fresh).isNotEqualTo(old);
		assertThat(refreshed.get("expires_in").asLong()).isEqualTo(7200);
		assertThat(use(old)).isEqualTo(40001);
		assertThat(use(fresh)).isZero();
		assertThat(this.http.stableToken(false).get("access_token").asString()).isEqualTo(fresh);
	}

	@Test
	void stableTokensAndTokensDoNotInvalidateEachOther() {
		String stable = this.http.stableToken(false).get("access_token").asString();
		String plain = this.http.token();
		String plainAgain = this.http.token();
		assertThat(use(stable)).isZero();
		this.http.stableToken(true);
		assertThat(use(plainAgain)).isZero();
		assertThat(use(plain)).isEqualTo(40001);
	}

	@Test
	void stableTokenRequiresPost() {
		JsonNode body = this.http.getJson("/cgi-bin/stable_token?grant_type=client_credential&appid="
				+ this.sandbox.appId() + "&secret=" + this.sandbox.appSecret());
		assertThat(errcode(body)).isEqualTo(43002);
		assertThat(body.get("errmsg").asString()).startsWith("require POST method");
	}

	@Test
	void stableTokenChecksItsBody() {
		assertThat(errcode(this.http.postJson("/cgi-bin/stable_token", "not json"))).isEqualTo(47001);
		assertThat(errcode(this.http.postJson("/cgi-bin/stable_token",
				"{\"grant_type\":\"client_credential\",\"appid\":\"wxother\",\"secret\":\"x\"}")))
			.isEqualTo(40013);
		assertThat(
				errcode(this.http.postJson("/cgi-bin/stable_token", "{\"grant_type\":\"client_credential\",\"appid\":\""
						+ this.sandbox.appId() + "\",\"secret\":\"wrong\"}")))
			.isEqualTo(40125);
		assertThat(errcode(this.http.postJson("/cgi-bin/stable_token", "{\"grant_type\":\"client_credential\","
				+ "\"appid\":\"" + this.sandbox.appId() + "\",\"secret\":\"" + this.sandbox.appSecret() + "\"}")))
			.isZero();
	}

	@Test
	void normalModeRenewsTheStableTokenInItsLastFiveMinutesAndKeepsThePreviousOneValidUntilItExpires() {
		String first = stable(false);
		this.clock.advance(Duration.ofSeconds(7200 - 301));
		assertThat(stable(false)).as("more than 5 minutes left: unchanged").isEqualTo(first);
		this.clock.advance(Duration.ofSeconds(1));
		JsonNode renewed = this.http.stableToken(false);
		String second = renewed.get("access_token").asString();
		assertThat(second).isNotEqualTo(first);
		assertThat(renewed.get("expires_in").asLong()).isEqualTo(7200);
		assertThat(use(first)).as("the previous token stays valid").isZero();
		assertThat(use(second)).isZero();
		assertThat(stable(false)).isEqualTo(second);
		this.clock.advance(Duration.ofSeconds(299));
		assertThat(use(first)).isZero();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(use(first)).isEqualTo(42001);
		assertThat(use(second)).isZero();
	}

	@Test
	void stableTokenAnswersAtLeastFiveMinutesOfValidity() {
		String first = stable(false);
		for (int elapsed = 0; elapsed < 7200 * 2; elapsed += 60) {
			JsonNode answer = this.http.stableToken(false);
			assertThat(answer.get("expires_in").asLong()).isGreaterThanOrEqualTo(300);
			assertThat(use(answer.get("access_token").asString())).isZero();
			this.clock.advance(Duration.ofSeconds(60));
		}
		assertThat(stable(false)).isNotEqualTo(first);
	}

	@Test
	void forcedRefreshRevokesThePreviousStableTokenAtOnceEvenInTheRenewalWindow() {
		String first = stable(false);
		this.clock.advance(Duration.ofSeconds(7200 - 100));
		String forced = stable(true);
		assertThat(forced).isNotEqualTo(first);
		assertThat(use(first)).isEqualTo(40001);
	}

	@Test
	void tokensExpireByTheClock() {
		String plain = this.http.token();
		String stable = this.http.stableToken(false).get("access_token").asString();
		this.clock.advance(Duration.ofSeconds(7199));
		assertThat(use(plain)).isZero();
		assertThat(use(stable)).isZero();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(use(plain)).isEqualTo(42001);
		JsonNode expired = this.http.checkSession(stable, "oWhoever", "00");
		assertThat(errcode(expired)).isEqualTo(42001);
		assertThat(expired.get("errmsg").asString()).startsWith("access_token expired");
		String next = this.http.stableToken(false).get("access_token").asString();
		assertThat(next).isNotEqualTo(stable);
		assertThat(use(next)).isZero();
	}

	@Test
	void accessTokenTtlIsConfigurable() {
		try (WeChatSandbox shortLived = WeChatSandbox.builder()
			.accessTokenTtl(Duration.ofSeconds(60))
			.clock(this.clock)
			.start()) {
			SandboxHttp shortHttp = new SandboxHttp(shortLived);
			assertThat(shortHttp.stableToken(false).get("expires_in").asLong()).isEqualTo(60);
			String token = shortHttp.token();
			this.clock.advance(Duration.ofSeconds(60));
			assertThat(errcode(shortHttp.checkSession(token, "oWhoever", "00"))).isEqualTo(42001);
		}
	}

	@Test
	void expireAccessTokensExpiresEveryIssuedToken() {
		String plain = this.http.token();
		String stable = this.http.stableToken(false).get("access_token").asString();
		this.sandbox.expireAccessTokens();
		assertThat(use(plain)).isEqualTo(42001);
		assertThat(use(stable)).isEqualTo(42001);
		String next = this.http.stableToken(false).get("access_token").asString();
		assertThat(next).isNotEqualTo(stable);
		assertThat(use(next)).isZero();
	}

	@Test
	void revokeAccessTokensInvalidatesEveryIssuedToken() {
		String plain = this.http.token();
		String stable = this.http.stableToken(false).get("access_token").asString();
		this.sandbox.revokeAccessTokens();
		assertThat(use(plain)).isEqualTo(40001);
		assertThat(use(stable)).isEqualTo(40001);
		assertThat(use(this.http.token())).isZero();
	}

	@Test
	void missingOrUnknownAccessTokens() {
		assertThat(errcode(this.http.getJson("/wxa/checksession?openid=o&signature=00&sig_method=hmac_sha256")))
			.isEqualTo(41001);
		assertThat(use("not-a-token")).isEqualTo(40001);
	}

	private String stable(boolean force) {
		return this.http.stableToken(force).get("access_token").asString();
	}

	@Test
	void forcedCallWithinThirtySecondsOfTheLastOneAnswersTheCurrentTokenUnchanged() {
		String first = stable(true);
		this.clock.advance(Duration.ofSeconds(29));
		assertThat(stable(true)).isEqualTo(first);
		assertThat(use(first)).isZero();
		this.clock.advance(Duration.ofSeconds(1));
		String second = stable(true);
		assertThat(second).isNotEqualTo(first);
		assertThat(use(first)).isEqualTo(40001);
		assertThat(this.sandbox.forcedRefreshCount()).isEqualTo(3);
	}

	@Test
	void forcedCallsPastTwentyADayAreRefusedWith45009UntilTheNextBeijingDay() {
		// 08:00 UTC is 16:00 in Beijing: the day turns at 16:00 UTC.
		for (int i = 0; i < WeChatSandbox.FORCED_REFRESHES_PER_DAY; i++) {
			assertThat(this.http.stableToken(true).has("access_token")).isTrue();
			this.clock.advance(Duration.ofSeconds(30));
		}
		JsonNode refused = this.http.stableToken(true);
		assertThat(errcode(refused)).isEqualTo(45009);
		assertThat(refused.get("errmsg").asString()).startsWith("reach max api daily quota limit");
		String current = stable(false);
		assertThat(use(current)).isZero();
		this.clock.advance(Duration.ofHours(7).plusMinutes(49));
		assertThat(errcode(this.http.stableToken(true))).isEqualTo(45009);
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(stable(true)).isNotEqualTo(current);
		assertThat(this.sandbox.forcedRefreshCount()).isEqualTo(23);
		this.sandbox.resetCounts();
		assertThat(this.sandbox.forcedRefreshCount()).isZero();
	}

	@Test
	void aRejectedStableTokenIsHandedOutAgainUntilAForcedCallReplacesIt() {
		String token = stable(false);
		this.sandbox.rejectStableToken();
		assertThat(use(token)).isEqualTo(40001);
		assertThat(stable(false)).isEqualTo(token);
		String replaced = stable(true);
		assertThat(replaced).isNotEqualTo(token);
		assertThat(use(replaced)).isZero();
		assertThat(stable(false)).isEqualTo(replaced);
	}

	@Test
	void aRejectedStableTokenIsReplacedAtItsNormalRenewalFiveMinutesBeforeItExpires() {
		String token = stable(false);
		this.sandbox.rejectStableToken();
		this.clock.advance(Duration.ofSeconds(7200 - 301));
		assertThat(stable(false)).isEqualTo(token);
		this.clock.advance(Duration.ofSeconds(1));
		String next = stable(false);
		assertThat(next).isNotEqualTo(token);
		assertThat(use(next)).isZero();
	}

	@Test
	void rejectingBeforeAnyStableTokenDoesNothing() {
		this.sandbox.rejectStableToken();
		assertThat(use(stable(false))).isZero();
	}

}
