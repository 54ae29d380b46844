package io.github.wechatminiapp.sample;

import java.time.Instant;
import java.util.Map;

import io.github.wechatminiapp.sample.ApiClient.Response;
import io.github.wechatminiapp.sample.sandbox.SandboxMode;
import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.test.WeRunDay;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/werun} and {@code POST /api/share-info} against the embedded sandbox,
 * over real HTTP.
 */
@ActiveProfiles("sandbox")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OpenDataApiIT {

	@LocalServerPort
	int port;

	@Autowired
	SandboxMode sandboxMode;

	WeChatSandbox sandbox;

	ApiClient api;

	@BeforeEach
	void setUp() {
		this.sandbox = this.sandboxMode.sandbox();
		this.api = new ApiClient(this.port);
	}

	@Test
	void weRunAnswersTheVerifiedThirtyOneDays() {
		WeChatSandboxUser user = this.sandbox.createUser();
		String token = this.api.login(this.sandbox.loginCode(user));
		Response response = post("/api/werun", this.sandbox.encryptWeRunData(user), token);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode days = response.json().get("stepInfoList");
		assertThat(days.size()).isEqualTo(31);
		WeRunDay today = this.sandbox.weRunSteps(user).get(29);
		assertThat(days.get(29).get("timestamp").asLong()).isEqualTo(today.timestamp());
		assertThat(days.get(29).get("step").asInt()).isEqualTo(today.step());
		assertThat(response.json().propertyNames()).containsExactly("stepInfoList");
	}

	@Test
	void shareInfoAnswersTheGroup() {
		WeChatSandboxUser user = this.sandbox.createUser();
		String token = this.api.login(this.sandbox.loginCode(user));
		String group = this.sandbox.createGroupId();
		Response response = post("/api/share-info", this.sandbox.encryptShareInfo(user, group), token);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.text("openGId")).isEqualTo(group);
		Response enter = post("/api/share-info", this.sandbox.encryptGroupEnterInfo(user, group), token);
		assertThat(enter.text("openGId")).isEqualTo(group);
		assertThat(enter.text("groupOpenId")).isEqualTo(this.sandbox.groupOpenId(user, group));
		// A single chat has no group: wx.getGroupEnterInfo names the room instead.
		String room = this.sandbox.createSingleRoomId();
		Response single = post("/api/share-info", this.sandbox.encryptSingleChatEnterInfo(user, room), token);
		assertThat(single.status()).as(single.toString()).isEqualTo(200);
		assertThat(single.text("openSingleRoomId")).isEqualTo(room);
		assertThat(single.json().get("chatType").asInt()).isEqualTo(1);
	}

	@Test
	void refusedOpenDataIsTheUniformAnswer() {
		WeChatSandboxUser user = this.sandbox.createUser();
		String token = this.api.login(this.sandbox.loginCode(user));
		String expected = HostileHttp.rejectedBody("/api/werun");
		Response otherApp = post("/api/werun", this.sandbox.encryptWeRunData(user, "wxffffffffffffffff", Instant.now()),
				token);
		assertThat(otherApp.status()).isEqualTo(422);
		assertThat(otherApp.body()).isEqualTo(expected);
		// Another user's payload, made with this user's key.
		WeChatSandboxUser other = this.sandbox.createUser();
		EncryptedData namingOther = this.sandbox.encrypt(user,
				"{\"openId\":\"" + other.openid() + "\",\"openGId\":\"tG1\",\"watermark\":{\"appid\":\""
						+ this.sandbox.appId() + "\",\"timestamp\":" + Instant.now().getEpochSecond() + "}}");
		Response refused = post("/api/share-info", namingOther, token);
		assertThat(refused.status()).isEqualTo(422);
		assertThat(refused.body()).isEqualTo(HostileHttp.rejectedBody("/api/share-info"));
		// WeRun data asked for as share info does not bind.
		Response wrongType = post("/api/share-info", this.sandbox.encryptWeRunData(user), token);
		assertThat(wrongType.body()).isEqualTo(HostileHttp.rejectedBody("/api/share-info"));
	}

	@Test
	void withoutATokenIs401() {
		WeChatSandboxUser user = this.sandbox.createUser();
		assertThat(post("/api/werun", this.sandbox.encryptWeRunData(user), null).status()).isEqualTo(401);
		assertThat(post("/api/share-info", this.sandbox.encryptShareInfo(user, "tG1"), null).status()).isEqualTo(401);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"encryptedData\":\"AAAA\"}", "{\"iv\":\"AAAA\"}",
			"{\"encryptedData\":\" \",\"iv\":\"x\"}", "not json" })
	void withoutBothFieldsIs400(String body) {
		WeChatSandboxUser user = this.sandbox.createUser();
		String token = this.api.login(this.sandbox.loginCode(user));
		for (String path : new String[] { "/api/werun", "/api/share-info" }) {
			Response response = this.api.post(path, body, token);
			assertThat(response.status()).as(path + " " + body).isEqualTo(400);
			assertThat(response.text("error")).isEqualTo("invalid_request");
		}
		assertThat(this.api.post("/api/werun", null, token).status()).isEqualTo(400);
	}

	private Response post(String path, EncryptedData data, String token) {
		return this.api.post(path, Map.of("encryptedData", data.encryptedData(), "iv", data.iv()), token);
	}

}
