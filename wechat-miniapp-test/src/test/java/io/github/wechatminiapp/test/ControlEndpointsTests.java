package io.github.wechatminiapp.test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.github.wechatminiapp.test.SandboxHttp.errcode;
import static io.github.wechatminiapp.test.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

class ControlEndpointsTests {

	private final WeChatSandbox sandbox = WeChatSandbox.start();

	private final SandboxHttp http = new SandboxHttp(this.sandbox);

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	private JsonNode createUser(String body) {
		HttpResponse<String> response = this.http.post("/sandbox/users", body);
		assertThat(response.statusCode()).isEqualTo(201);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
		return json(response);
	}

	private WeChatSandboxUser userOf(JsonNode json) {
		return new WeChatSandboxUser(json.get("openid").asString(), json.get("unionid").asString(),
				json.get("purePhoneNumber").asString(), json.get("countryCode").asString());
	}

	@Test
	void createsARandomUser() {
		JsonNode user = createUser(null);
		assertThat(user.get("openid").asString()).matches("o[A-Za-z0-9_-]{27}");
		assertThat(user.get("unionid").asString()).matches("u[A-Za-z0-9_-]{27}");
		assertThat(user.get("purePhoneNumber").asString()).matches("13\\d{9}");
		assertThat(user.get("phoneNumber").asString()).isEqualTo(user.get("purePhoneNumber").asString());
		assertThat(user.get("countryCode").asString()).isEqualTo("86");
	}

	@Test
	void createsAUserWithAChosenNumber() {
		JsonNode user = createUser("{\"purePhoneNumber\":\"2025550123\",\"countryCode\":\"1\"}");
		assertThat(user.get("phoneNumber").asString()).isEqualTo("+1 2025550123");
		assertThat(user.get("purePhoneNumber").asString()).isEqualTo("2025550123");
		assertThat(user.get("countryCode").asString()).isEqualTo("1");
	}

	@Test
	void rejectsBadUserBodies() {
		assertThat(this.http.post("/sandbox/users", "{oops").statusCode()).isEqualTo(400);
		assertThat(this.http.post("/sandbox/users", "{\"purePhoneNumber\":\"12-34\"}").statusCode()).isEqualTo(400);
	}

	@Test
	void loginCodeIsAcceptedByJscode2session() {
		WeChatSandboxUser user = userOf(createUser(null));
		HttpResponse<String> response = this.http.post("/sandbox/users/" + user.openid() + "/login-code", null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
		JsonNode session = json(this.http.jscode2session(json(response).get("code").asString()));
		assertThat(session.get("openid").asString()).isEqualTo(user.openid());
		assertThat(session.get("session_key").asString()).isEqualTo(this.sandbox.sessionKey(user));
	}

	@Test
	void phoneCodeIsAcceptedByGetUserPhoneNumber() {
		WeChatSandboxUser user = userOf(createUser("{\"purePhoneNumber\":\"13812345678\"}"));
		String code = this.http.postJson("/sandbox/users/" + user.openid() + "/phone-code", null)
			.get("code")
			.asString();
		JsonNode body = this.http.phoneNumber(this.http.token(), code);
		assertThat(errcode(body)).isZero();
		assertThat(body.get("phone_info").get("purePhoneNumber").asString()).isEqualTo("13812345678");
	}

	@Test
	void encryptedPhoneDecryptsWithTheSessionKey() throws Exception {
		WeChatSandboxUser user = userOf(createUser("{\"purePhoneNumber\":\"13812345678\",\"countryCode\":\"86\"}"));
		JsonNode body = this.http.postJson("/sandbox/users/" + user.openid() + "/encrypted-phone", null);
		EncryptedData data = new EncryptedData(body.get("encryptedData").asString(), body.get("iv").asString());
		JsonNode plain = SandboxHttp.MAPPER.readTree(SandboxHttp.decrypt(this.sandbox.sessionKey(user), data));
		assertThat(plain.get("purePhoneNumber").asString()).isEqualTo("13812345678");
		assertThat(plain.get("watermark").get("appid").asString()).isEqualTo(this.sandbox.appId());
	}

	@Test
	void rotateSessionKeyNeverReturnsTheKey() {
		WeChatSandboxUser user = userOf(createUser(null));
		String before = this.sandbox.sessionKey(user);
		HttpResponse<String> response = this.http.post("/sandbox/users/" + user.openid() + "/rotate-session-key", null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{}");
		assertThat(this.sandbox.sessionKey(user)).isNotEqualTo(before);
	}

	@Test
	void unknownOpenidIs404WithCors() {
		HttpResponse<String> response = this.http.post("/sandbox/users/oNobody/login-code", null);
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
		assertThat(json(response).get("error").asString()).contains("oNobody");
	}

	@Test
	void unknownControlPathsAre404AndWrongMethods405() {
		assertThat(this.http.post("/sandbox/nothing", null).statusCode()).isEqualTo(404);
		String openid = createUser(null).get("openid").asString();
		assertThat(this.http.post("/sandbox/users/" + openid + "/unknown-action", null).statusCode()).isEqualTo(404);
		HttpResponse<String> get = this.http.get("/sandbox/users");
		assertThat(get.statusCode()).isEqualTo(405);
		assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
	}

	@Test
	void answersCorsPreflight() {
		HttpResponse<String> response = SandboxHttp
			.send(HttpRequest.newBuilder(URI.create(this.sandbox.baseUrl() + "/sandbox/users/oAnyone/login-code"))
				.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
				.header("Origin", "http://localhost:5173")
				.header("Access-Control-Request-Method", "POST")
				.header("Access-Control-Request-Headers", "content-type")
				.build());
		assertThat(response.statusCode()).isEqualTo(204);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
		assertThat(response.headers().firstValue("Access-Control-Allow-Methods"))
			.hasValueSatisfying((methods) -> assertThat(methods).contains("POST", "GET"));
		assertThat(response.headers().firstValue("Access-Control-Allow-Headers")).hasValue("Content-Type");
	}

}
