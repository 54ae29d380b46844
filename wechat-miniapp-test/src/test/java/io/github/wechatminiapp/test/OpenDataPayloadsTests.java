package io.github.wechatminiapp.test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class OpenDataPayloadsTests {

	/**
	 * 23:30 in China on 1 March 2025, so "today" in China is not today in UTC's morning.
	 */
	private static final Instant NOW = Instant.parse("2025-03-01T15:30:00Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final WeChatSandbox sandbox = WeChatSandbox.builder().clock(this.clock).start();

	private final SandboxHttp http = new SandboxHttp(this.sandbox);

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	@Test
	void weRunCoversThirtyChineseDaysEndingToday() throws Exception {
		WeChatSandboxUser user = this.sandbox.createUser();
		JsonNode plain = decrypt(user, this.sandbox.encryptWeRunData(user));
		JsonNode list = plain.get("stepInfoList");
		assertThat(list.size()).isEqualTo(31);
		long lastMidnight = ZonedDateTime.parse("2025-03-01T00:00:00+08:00").toEpochSecond();
		for (int i = 0; i < 31; i++) {
			JsonNode entry = list.get(i);
			assertThat(entry.get("timestamp").asLong()).isEqualTo(lastMidnight - (30 - i) * 86_400L);
			assertThat(entry.get("step").asInt()).isBetween(0, 19_999);
		}
		assertThat(plain.get("watermark").get("appid").asString()).isEqualTo(this.sandbox.appId());
		assertThat(plain.get("watermark").get("timestamp").asLong()).isEqualTo(NOW.getEpochSecond());
		List<WeRunDay> steps = this.sandbox.weRunSteps(user);
		assertThat(steps).hasSize(31);
		for (int i = 0; i < 31; i++) {
			assertThat(steps.get(i))
				.isEqualTo(new WeRunDay(list.get(i).get("timestamp").asLong(), list.get(i).get("step").asInt()));
		}
	}

	@Test
	void weRunStepsAreStableForAUserAndDifferBetweenUsersAndDays() {
		WeChatSandboxUser user = this.sandbox.createUser();
		WeChatSandboxUser other = this.sandbox.createUser();
		List<WeRunDay> steps = this.sandbox.weRunSteps(user);
		assertThat(this.sandbox.weRunSteps(user)).isEqualTo(steps);
		assertThat(this.sandbox.weRunSteps(other)).isNotEqualTo(steps);
		assertThat(steps.stream().map(WeRunDay::step).distinct().count()).isGreaterThan(1);
		this.clock.advance(Duration.ofHours(1));
		List<WeRunDay> tomorrow = this.sandbox.weRunSteps(user);
		assertThat(tomorrow.get(0).timestamp()).isEqualTo(steps.get(1).timestamp());
		assertThat(tomorrow.subList(0, 30)).isEqualTo(steps.subList(1, 31));
		assertThat(tomorrow.get(30).timestamp()).isEqualTo(steps.get(30).timestamp() + 86_400L);
		assertThat(ZonedDateTime.ofInstant(Instant.ofEpochSecond(tomorrow.get(30).timestamp()), ZoneOffset.ofHours(8))
			.toLocalTime()
			.toSecondOfDay()).isZero();
	}

	@Test
	void weRunWithAChosenWatermark() throws Exception {
		WeChatSandboxUser user = this.sandbox.createUser();
		Instant old = NOW.minus(Duration.ofHours(1));
		JsonNode watermark = decrypt(user, this.sandbox.encryptWeRunData(user, "wx00000000000000ff", old))
			.get("watermark");
		assertThat(watermark.get("appid").asString()).isEqualTo("wx00000000000000ff");
		assertThat(watermark.get("timestamp").asLong()).isEqualTo(old.getEpochSecond());
	}

	@Test
	void shareInfoAndGroupEnterInfoNameTheGroupAsWeChatSpellsIt() throws Exception {
		WeChatSandboxUser user = this.sandbox.createUser();
		String group = this.sandbox.createGroupId();
		assertThat(group).startsWith("tG").hasSize(28).isNotEqualTo(this.sandbox.createGroupId());
		JsonNode share = decrypt(user, this.sandbox.encryptShareInfo(user, group));
		assertThat(share.properties()).hasSize(2);
		assertThat(share.get("openGId").asString()).isEqualTo(group);
		assertThat(share.get("watermark").get("appid").asString()).isEqualTo(this.sandbox.appId());
		JsonNode enter = decrypt(user, this.sandbox.encryptGroupEnterInfo(user, group));
		assertThat(enter.get("opengid").asString()).isEqualTo(group);
		assertThat(enter.get("chat_type").asInt()).isEqualTo(3);
		assertThat(enter.get("group_openid").asString()).isEqualTo(this.sandbox.groupOpenId(user, group))
			.isNotEqualTo(user.openid());
		String room = this.sandbox.createSingleRoomId();
		JsonNode single = decrypt(user, this.sandbox.encryptSingleChatEnterInfo(user, room));
		assertThat(single.has("opengid")).isFalse();
		assertThat(single.get("open_single_roomid").asString()).isEqualTo(room);
		assertThat(single.get("chat_type").asInt()).isEqualTo(1);
		assertThat(single.get("group_openid").asString()).isEqualTo(this.sandbox.groupOpenId(user, room))
			.isNotEqualTo(enter.get("group_openid").asString());
		assertThatNullPointerException().isThrownBy(() -> this.sandbox.encryptSingleChatEnterInfo(user, null));
		assertThat(enter.has("openGId")).isFalse();
		assertThat(enter.get("watermark").get("timestamp").asLong()).isEqualTo(NOW.getEpochSecond());
		assertThatNullPointerException().isThrownBy(() -> this.sandbox.encryptShareInfo(user, null));
		assertThatNullPointerException().isThrownBy(() -> this.sandbox.encryptGroupEnterInfo(user, null));
		assertThatNullPointerException().isThrownBy(() -> this.sandbox.encryptWeRunData(user, null, NOW));
		assertThatNullPointerException().isThrownBy(() -> this.sandbox.encryptWeRunData(user, "wx1", null));
	}

	@Test
	void userInfoNamesTheUserAndCarriesTheAnonymousProfile() throws Exception {
		WeChatSandboxUser user = this.sandbox.createUser();
		JsonNode info = decrypt(user, this.sandbox.encryptUserInfo(user));
		assertThat(info.get("openId").asString()).isEqualTo(user.openid());
		assertThat(info.get("unionId").asString()).isEqualTo(user.unionid());
		assertThat(info.get("nickName").asString()).isEqualTo("微信用户");
		assertThat(info.get("gender").asInt()).isZero();
		assertThat(info.get("avatarUrl").asString()).startsWith("https://thirdwx.qlogo.cn/");
		assertThat(info.get("watermark").get("appid").asString()).isEqualTo(this.sandbox.appId());
		WeChatSandboxUser withoutUnion = new WeChatSandboxUser("oWithoutUnionid000000000000", null, "13800000000",
				"86");
		assertThat(decrypt(withoutUnion, this.sandbox.encryptUserInfo(withoutUnion)).has("unionId")).isFalse();
	}

	@Test
	void rawDataIsTheClearProfileSignedWithTheCurrentKey() throws Exception {
		WeChatSandboxUser user = this.sandbox.createUser();
		SignedRawData signed = this.sandbox.signedRawData(user);
		JsonNode raw = SandboxHttp.MAPPER.readTree(signed.rawData());
		assertThat(raw.get("nickName").asString()).isEqualTo("微信用户");
		assertThat(raw.has("openId")).isFalse();
		assertThat(raw.has("watermark")).isFalse();
		assertThat(signed.signature()).isEqualTo(sha1Hex(signed.rawData() + this.sandbox.sessionKey(user)));
		this.sandbox.rotateSessionKey(user);
		assertThat(this.sandbox.signedRawData(user).signature())
			.isEqualTo(sha1Hex(signed.rawData() + this.sandbox.sessionKey(user)))
			.isNotEqualTo(signed.signature());
		assertThatNullPointerException().isThrownBy(() -> new SignedRawData(null, "x"));
		assertThatNullPointerException().isThrownBy(() -> new SignedRawData("x", null));
	}

	@Test
	void everyPayloadIsEncryptedWithTheCurrentKey() throws Exception {
		WeChatSandboxUser user = this.sandbox.createUser();
		this.sandbox.sessionKey(user);
		this.sandbox.rotateSessionKey(user);
		assertThat(decrypt(user, this.sandbox.encryptWeRunData(user)).has("stepInfoList")).isTrue();
		assertThat(decrypt(user, this.sandbox.encryptUserInfo(user)).has("openId")).isTrue();
	}

	@Test
	void controlEndpointsServeWeRunAndShareInfo() throws Exception {
		WeChatSandboxUser user = this.sandbox.createUser();
		JsonNode weRun = this.http.postJson("/sandbox/users/" + user.openid() + "/encrypted-werun", null);
		assertThat(decrypt(user, encrypted(weRun)).get("stepInfoList").size()).isEqualTo(31);
		JsonNode share = this.http.postJson("/sandbox/users/" + user.openid() + "/encrypted-share-info", null);
		assertThat(share.properties()).hasSize(2);
		assertThat(decrypt(user, encrypted(share)).get("openGId").asString()).startsWith("tG");
	}

	private static EncryptedData encrypted(JsonNode body) {
		return new EncryptedData(body.get("encryptedData").asString(), body.get("iv").asString());
	}

	private JsonNode decrypt(WeChatSandboxUser user, EncryptedData data) throws Exception {
		return SandboxHttp.MAPPER.readTree(SandboxHttp.decrypt(this.sandbox.sessionKey(user), data));
	}

	private static String sha1Hex(String text) throws Exception {
		return HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
	}

}
