package io.github.wechatminiapp.test;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.BadPaddingException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.github.wechatminiapp.test.SandboxHttp.errcode;
import static org.assertj.core.api.Assertions.assertThat;

class PhoneNumberTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T08:00:00Z"));

	private final WeChatSandbox sandbox = WeChatSandbox.builder().clock(this.clock).start();

	private final SandboxHttp http = new SandboxHttp(this.sandbox);

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	@Test
	void phoneCodeExchangesForThePhoneNumberWithTheMintingTimeAsWatermark() {
		WeChatSandboxUser user = this.sandbox.createUser("13812345678", "86");
		String code = this.sandbox.phoneCode(user);
		this.clock.advance(Duration.ofSeconds(90));
		JsonNode body = this.http.phoneNumber(this.http.token(), code);
		assertThat(body.get("errcode").asInt()).isZero();
		assertThat(body.get("errmsg").asString()).isEqualTo("ok");
		JsonNode info = body.get("phone_info");
		assertThat(info.get("phoneNumber").asString()).isEqualTo("13812345678");
		assertThat(info.get("purePhoneNumber").asString()).isEqualTo("13812345678");
		assertThat(info.get("countryCode").isString()).isTrue();
		assertThat(info.get("countryCode").asString()).isEqualTo("86");
		assertThat(info.get("watermark").get("timestamp").asLong())
			.isEqualTo(Instant.parse("2025-03-01T08:00:00Z").getEpochSecond());
		assertThat(info.get("watermark").get("appid").asString()).isEqualTo(this.sandbox.appId());
	}

	@Test
	void foreignNumbersCarryTheirCountryCode() {
		WeChatSandboxUser user = this.sandbox.createUser("2025550123", "1");
		JsonNode info = this.http.phoneNumber(this.http.token(), this.sandbox.phoneCode(user)).get("phone_info");
		assertThat(info.get("phoneNumber").asString()).isEqualTo("+1 2025550123");
		assertThat(info.get("purePhoneNumber").asString()).isEqualTo("2025550123");
		assertThat(info.get("countryCode").asString()).isEqualTo("1");
	}

	@Test
	void phoneCodesAreSingleUse() {
		String token = this.http.token();
		String code = this.sandbox.phoneCode(this.sandbox.createUser());
		assertThat(errcode(this.http.phoneNumber(token, code))).isZero();
		JsonNode reuse = this.http.phoneNumber(token, code);
		assertThat(errcode(reuse)).isEqualTo(40029);
		assertThat(reuse.get("errmsg").asString()).startsWith("invalid code, rid: ");
		assertThat(reuse.has("phone_info")).isFalse();
	}

	@Test
	void unknownAndExpiredPhoneCodesAre40029() {
		String token = this.http.token();
		assertThat(errcode(this.http.phoneNumber(token, "deadbeef"))).isEqualTo(40029);
		String code = this.sandbox.phoneCode(this.sandbox.createUser());
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(errcode(this.http.phoneNumber(this.http.token(), code))).isEqualTo(40029);
	}

	@Test
	void aPhoneCodeSurvivesABadToken() {
		String code = this.sandbox.phoneCode(this.sandbox.createUser());
		String token = this.http.token();
		this.sandbox.expireAccessTokens();
		assertThat(errcode(this.http.phoneNumber(token, code))).isEqualTo(42001);
		this.sandbox.revokeAccessTokens();
		assertThat(errcode(this.http.phoneNumber(token, code))).isEqualTo(40001);
		assertThat(errcode(this.http.phoneNumber(this.http.token(), code))).isZero();
	}

	@Test
	void aPhoneCodeBoundToItsOwnerIsExchanged() {
		WeChatSandboxUser user = this.sandbox.createUser("13812345678", "86");
		JsonNode body = this.http.phoneNumber(this.http.token(), this.sandbox.phoneCode(user), user.openid());
		assertThat(errcode(body)).isZero();
		assertThat(body.get("phone_info").get("purePhoneNumber").asString()).isEqualTo("13812345678");
	}

	@Test
	void aPhoneCodePresentedWithAnotherUsersOpenidIs40003AndStaysUsableByItsOwner() {
		WeChatSandboxUser owner = this.sandbox.createUser("13812345678", "86");
		WeChatSandboxUser attacker = this.sandbox.createUser("13900000000", "86");
		String token = this.http.token();
		String code = this.sandbox.phoneCode(owner);
		JsonNode refused = this.http.phoneNumber(token, code, attacker.openid());
		assertThat(errcode(refused)).isEqualTo(40003);
		assertThat(refused.get("errmsg").asString()).startsWith("invalid openid, rid: ");
		assertThat(refused.has("phone_info")).isFalse();
		assertThat(errcode(this.http.phoneNumber(token, code, "o-never-logged-in"))).isEqualTo(40003);
		JsonNode owners = this.http.phoneNumber(token, code, owner.openid());
		assertThat(errcode(owners)).isZero();
		assertThat(owners.get("phone_info").get("purePhoneNumber").asString()).isEqualTo("13812345678");
	}

	@Test
	void aBoundPhoneCodeIsStillSingleUseAndExpires() {
		WeChatSandboxUser user = this.sandbox.createUser();
		String token = this.http.token();
		String code = this.sandbox.phoneCode(user);
		assertThat(errcode(this.http.phoneNumber(token, code, user.openid()))).isZero();
		assertThat(errcode(this.http.phoneNumber(token, code, user.openid()))).isEqualTo(40029);
		String late = this.sandbox.phoneCode(user);
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(errcode(this.http.phoneNumber(this.http.token(), late, user.openid()))).isEqualTo(40029);
		// An unknown code is an unknown code, whoever presents it.
		assertThat(errcode(this.http.phoneNumber(this.http.token(), "deadbeef", user.openid()))).isEqualTo(40029);
	}

	@Test
	void aPhoneCodeOpenidMustBeAString() {
		String token = this.http.token();
		String code = this.sandbox.phoneCode(this.sandbox.createUser());
		assertThat(errcode(this.http.postJson("/wxa/business/getuserphonenumber?access_token=" + token,
				"{\"code\":\"" + code + "\",\"openid\":42}")))
			.isEqualTo(47001);
		assertThat(errcode(this.http.postJson("/wxa/business/getuserphonenumber?access_token=" + token,
				"{\"code\":\"" + code + "\",\"openid\":null}")))
			.isZero();
	}

	@Test
	void getUserPhoneNumberRequiresPostAndJson() {
		String token = this.http.token();
		assertThat(errcode(this.http.getJson("/wxa/business/getuserphonenumber?access_token=" + token)))
			.isEqualTo(43002);
		assertThat(errcode(this.http.postJson("/wxa/business/getuserphonenumber?access_token=" + token, "[1]")))
			.isEqualTo(47001);
		assertThat(errcode(this.http.postJson("/wxa/business/getuserphonenumber?access_token=" + token, "{}")))
			.isEqualTo(41008);
	}

	@Test
	void encryptedPhoneNumberDecryptsWithTheSessionKey() throws Exception {
		WeChatSandboxUser user = this.sandbox.createUser("13812345678", "86");
		EncryptedData data = this.sandbox.encryptPhoneNumber(user);
		assertThat(Base64.getDecoder().decode(data.iv())).hasSize(16);
		JsonNode plain = SandboxHttp.MAPPER.readTree(SandboxHttp.decrypt(this.sandbox.sessionKey(user), data));
		assertThat(plain.get("phoneNumber").asString()).isEqualTo("13812345678");
		assertThat(plain.get("purePhoneNumber").asString()).isEqualTo("13812345678");
		assertThat(plain.get("countryCode").isString()).isTrue();
		assertThat(plain.get("countryCode").asString()).isEqualTo("86");
		assertThat(plain.get("watermark").get("appid").asString()).isEqualTo(this.sandbox.appId());
		assertThat(plain.get("watermark").get("timestamp").asLong()).isEqualTo(this.clock.instant().getEpochSecond());
	}

	@Test
	void eachEncryptionUsesAFreshIv() {
		WeChatSandboxUser user = this.sandbox.createUser();
		EncryptedData first = this.sandbox.encryptPhoneNumber(user);
		EncryptedData second = this.sandbox.encryptPhoneNumber(user);
		assertThat(second.iv()).isNotEqualTo(first.iv());
		assertThat(second.encryptedData()).isNotEqualTo(first.encryptedData());
	}

	@Test
	void encryptedPhoneNumberWithAChosenWatermark() throws Exception {
		WeChatSandboxUser user = this.sandbox.createUser("2025550123", "1");
		EncryptedData data = this.sandbox.encryptPhoneNumber(user, "wxsomeoneelse", Instant.ofEpochSecond(1637744274));
		JsonNode plain = SandboxHttp.MAPPER.readTree(SandboxHttp.decrypt(this.sandbox.sessionKey(user), data));
		assertThat(plain.get("phoneNumber").asString()).isEqualTo("+1 2025550123");
		assertThat(plain.get("countryCode").asString()).isEqualTo("1");
		assertThat(plain.get("watermark").get("appid").asString()).isEqualTo("wxsomeoneelse");
		assertThat(plain.get("watermark").get("timestamp").asLong()).isEqualTo(1637744274);
	}

	@Test
	void encryptUsesTheCurrentSessionKey() throws Exception {
		WeChatSandboxUser user = this.sandbox.createUser();
		String oldKey = this.sandbox.sessionKey(user);
		String newKey = this.sandbox.rotateSessionKey(user);
		EncryptedData data = this.sandbox.encrypt(user, "{\"openGId\":\"tGabc\",\"中\":\"文\"}");
		assertThat(SandboxHttp.decrypt(newKey, data)).isEqualTo("{\"openGId\":\"tGabc\",\"中\":\"文\"}");
		String withOldKey;
		try {
			withOldKey = SandboxHttp.decrypt(oldKey, data);
		}
		catch (BadPaddingException ex) {
			// The usual outcome; a lucky padding match still yields garbage, checked
			// below.
			withOldKey = null;
		}
		assertThat(withOldKey).isNotEqualTo("{\"openGId\":\"tGabc\",\"中\":\"文\"}");
	}

}
