package io.github.wechatminiapp.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain JDK HTTP client for the sandbox, with independent implementations of WeChat's
 * crypto, so the tests do not trust the sandbox's own code to check itself.
 */
final class SandboxHttp {

	static final HttpClient CLIENT = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final WeChatSandbox sandbox;

	SandboxHttp(WeChatSandbox sandbox) {
		this.sandbox = sandbox;
	}

	HttpResponse<String> get(String pathAndQuery) {
		return send("GET", pathAndQuery, null);
	}

	HttpResponse<String> post(String pathAndQuery, String body) {
		return send("POST", pathAndQuery, body);
	}

	HttpResponse<String> send(String method, String pathAndQuery, String body) {
		HttpRequest.BodyPublisher publisher = (body != null) ? HttpRequest.BodyPublishers.ofString(body)
				: HttpRequest.BodyPublishers.noBody();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.sandbox.baseUrl() + pathAndQuery))
			.timeout(Duration.ofSeconds(5))
			.method(method, publisher);
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		return send(request.build());
	}

	static HttpResponse<String> send(HttpRequest request) {
		try {
			return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	JsonNode getJson(String pathAndQuery) {
		return json(get(pathAndQuery));
	}

	JsonNode postJson(String pathAndQuery, String body) {
		return json(post(pathAndQuery, body));
	}

	static JsonNode json(HttpResponse<String> response) {
		return MAPPER.readTree(response.body());
	}

	HttpResponse<String> jscode2session(String jsCode) {
		return get("/sns/jscode2session?appid=" + q(this.sandbox.appId()) + "&secret=" + q(this.sandbox.appSecret())
				+ "&js_code=" + q(jsCode) + "&grant_type=authorization_code");
	}

	String token() {
		return getJson("/cgi-bin/token?grant_type=client_credential&appid=" + q(this.sandbox.appId()) + "&secret="
				+ q(this.sandbox.appSecret()))
			.get("access_token")
			.asString();
	}

	JsonNode stableToken(boolean forceRefresh) {
		return postJson("/cgi-bin/stable_token",
				"{\"grant_type\":\"client_credential\",\"appid\":\"" + this.sandbox.appId() + "\",\"secret\":\""
						+ this.sandbox.appSecret() + "\",\"force_refresh\":" + forceRefresh + "}");
	}

	JsonNode phoneNumber(String accessToken, String code) {
		return postJson("/wxa/business/getuserphonenumber?access_token=" + q(accessToken),
				"{\"code\":\"" + code + "\"}");
	}

	JsonNode phoneNumber(String accessToken, String code, String openid) {
		return postJson("/wxa/business/getuserphonenumber?access_token=" + q(accessToken),
				"{\"code\":\"" + code + "\",\"openid\":\"" + openid + "\"}");
	}

	JsonNode checkSession(String accessToken, String openid, String signature) {
		return getJson("/wxa/checksession?access_token=" + q(accessToken) + "&openid=" + q(openid) + "&signature="
				+ q(signature) + "&sig_method=hmac_sha256");
	}

	JsonNode resetSessionKey(String accessToken, String openid, String signature) {
		return getJson("/wxa/resetusersessionkey?access_token=" + q(accessToken) + "&openid=" + q(openid)
				+ "&signature=" + q(signature) + "&sig_method=hmac_sha256");
	}

	static String q(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	static int errcode(JsonNode body) {
		JsonNode errcode = body.get("errcode");
		return (errcode != null) ? errcode.asInt() : 0;
	}

	static String signature(String sessionKeyBase64) {
		return hmacSha256Hex(sessionKeyBase64.getBytes(StandardCharsets.UTF_8));
	}

	static String hmacSha256Hex(byte[] key) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(new byte[0]));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String decrypt(String sessionKeyBase64, EncryptedData data) throws GeneralSecurityException {
		Base64.Decoder base64 = Base64.getDecoder();
		Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
		cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(base64.decode(sessionKeyBase64), "AES"),
				new IvParameterSpec(base64.decode(data.iv())));
		return new String(cipher.doFinal(base64.decode(data.encryptedData())), StandardCharsets.UTF_8);
	}

}
