package io.github.wechatminiapp.test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox's API security mode, by hand-made requests: what it refuses, with WeChat's
 * errcodes, and what it answers.
 */
class ApiSecurityModeTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T08:00:00Z"));

	private final WeChatSandbox sandbox = WeChatSandbox.builder().clock(this.clock).start();

	private final SandboxHttp http = new SandboxHttp(this.sandbox);

	private final WeChatSandboxApiSecurity keys = this.sandbox.enableApiSecurity();

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	@Test
	void answersASealedSignedRequestSealedAndSigned() throws Exception {
		WeChatSandboxUser user = this.sandbox.createUser();
		long now = this.clock.instant().getEpochSecond();
		HttpResponse<String> response = send(now, sealed(now, this.sandbox.phoneCode(user), this.sandbox.appId(), now),
				this.sandbox.appId(), true);
		assertThat(response.headers().firstValue("Wechatmp-Serial")).contains(this.keys.platformCertificateSn());
		assertThat(response.headers().firstValue("Wechatmp-Appid")).contains(this.sandbox.appId());
		assertThat(response.body()).doesNotContain(user.purePhoneNumber());
		assertThat(JSON.readTree(response.body()).propertyNames()).containsExactly("iv", "data", "authtag");
		assertThat(this.keys.receivedBodies()).hasSize(1);
		assertThat(this.keys.toString()).contains(this.keys.symmetricKeySn()).doesNotContain(this.keys.symmetricKey());
		assertThat(this.sandbox.enableApiSecurity()).isSameAs(this.keys);
	}

	@Test
	void refusesWhatIsNotSealedAndSignedWithWeChatsErrcodes() throws Exception {
		long now = this.clock.instant().getEpochSecond();
		String code = this.sandbox.phoneCode(this.sandbox.createUser());
		String appId = this.sandbox.appId();
		assertThat(errcode(this.http.phoneNumber(this.http.token(), code))).isEqualTo(40233);
		assertThat(errcode(send(now, sealed(now, code, appId, now), null, true))).isEqualTo(40233);
		assertThat(errcode(send(null, sealed(now, code, appId, now), appId, true))).isEqualTo(40231);
		assertThat(errcode(send(now, sealed(now, code, appId, now), appId, false))).isEqualTo(40232);
		assertThat(errcode(send(now, sealed(now, code, "wx0000000000000000", now), "wx0000000000000000", true)))
			.isEqualTo(40237);
		assertThat(errcode(
				send(now, sealed(now, code, appId, now).replace("\"authtag\":\"", "\"authtag\":\"AAAA"), appId, true)))
			.isEqualTo(40235);
		assertThat(errcode(send(now, sealed(now, code, appId, now - 1), appId, true))).isEqualTo(40235);
		this.clock.advance(Duration.ofMinutes(6));
		assertThat(errcode(send(now, sealed(now, code, appId, now), appId, true))).isEqualTo(40240);
	}

	private int errcode(HttpResponse<String> response) {
		JsonNode body = JSON.readTree(response.body());
		if (body.has("errcode")) {
			return body.get("errcode").asInt();
		}
		return 0;
	}

	private static int errcode(JsonNode body) {
		return SandboxHttp.errcode(body);
	}

	private HttpResponse<String> send(Long timestamp, String body, String appId, boolean signed) throws Exception {
		String urlPath = this.sandbox.baseUrl() + "/wxa/business/getuserphonenumber";
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(urlPath + "?access_token=" + this.http.token()))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (appId != null) {
			request.header("Wechatmp-Appid", appId);
		}
		if (timestamp != null) {
			request.header("Wechatmp-TimeStamp", Long.toString(timestamp));
		}
		if (signed) {
			String message = urlPath + "\n" + this.sandbox.appId() + "\n" + timestamp + "\n" + body;
			Signature signature = Signature.getInstance("RSASSA-PSS");
			signature.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
			signature.initSign(privateKey());
			signature.update(message.getBytes(StandardCharsets.UTF_8));
			request.header("Wechatmp-Signature", Base64.getEncoder().encodeToString(signature.sign()));
		}
		return SandboxHttp.send(request.build());
	}

	private String sealed(long timestamp, String code, String appId, long innerTimestamp) throws Exception {
		Map<String, Object> plaintext = new LinkedHashMap<>();
		plaintext.put("_n", "bm9uY2Vub25jZW5vbmNl");
		plaintext.put("_appid", appId);
		plaintext.put("_timestamp", innerTimestamp);
		plaintext.put("code", code);
		String aad = this.sandbox.baseUrl() + "/wxa/business/getuserphonenumber|" + this.sandbox.appId() + "|"
				+ timestamp + "|" + this.keys.symmetricKeySn();
		byte[] iv = new byte[12];
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(this.keys.symmetricKey()), "AES"),
				new GCMParameterSpec(128, iv));
		cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
		byte[] sealed = cipher.doFinal(JSON.writeValueAsBytes(plaintext));
		Base64.Encoder base64 = Base64.getEncoder();
		return "{\"iv\":\"" + base64.encodeToString(iv) + "\",\"data\":\""
				+ base64.encodeToString(java.util.Arrays.copyOf(sealed, sealed.length - 16)) + "\",\"authtag\":\""
				+ base64.encodeToString(java.util.Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length))
				+ "\"}";
	}

	private PrivateKey privateKey() throws Exception {
		String base64 = this.keys.appPrivateKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		return KeyFactory.getInstance("RSA")
			.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
	}

}
