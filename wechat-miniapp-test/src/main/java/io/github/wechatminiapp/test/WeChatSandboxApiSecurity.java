package io.github.wechatminiapp.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One sandbox app in WeChat's API security mode ("服务端 API 签名与加密"), with keys generated
 * for it: the AES-256-GCM symmetric key and its number, the app's RSA key pair (the test
 * gets the private key, as an administrator downloads it) and the platform certificate
 * the sandbox signs its answers with. Requests to the APIs that support the mode must
 * then be sealed and signed: anything else is refused with WeChat's errcodes (40231 to
 * 40240). Answers are sealed and signed, and can be spoiled on purpose with
 * {@link #tamperNextAnswer(ApiSecurityTampering)}. Independent of the starter's own
 * implementation.
 */
public final class WeChatSandboxApiSecurity {

	/** How far a request's timestamp may be from the sandbox's clock. */
	public static final Duration REQUEST_WINDOW = Duration.ofMinutes(5);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final PSSParameterSpec PSS = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32,
			1);

	private static final Platform PLATFORM_1 = Platform.load(1);

	private static final Platform PLATFORM_2 = Platform.load(2);

	private final String appId;

	private final Clock clock;

	private final byte[] symmetricKey = randomBytes(32);

	private final String symmetricKeySn = HexFormat.of().formatHex(randomBytes(16));

	private final KeyPair appKeys = generateRsa();

	private final KeyPair foreignPlatformKeys = generateRsa();

	private final Queue<ApiSecurityTampering> tamperings = new ConcurrentLinkedQueue<>();

	private final List<byte[]> receivedBodies = java.util.Collections.synchronizedList(new ArrayList<>());

	private volatile boolean rotated;

	WeChatSandboxApiSecurity(String appId, Clock clock) {
		this.appId = appId;
		this.clock = clock;
	}

	/**
	 * The app id.
	 * @return the app this mode is on for
	 */
	public String appId() {
		return this.appId;
	}

	/**
	 * The symmetric key, as the administration page shows it.
	 * @return the 32 bytes, Base64
	 */
	public String symmetricKey() {
		return Base64.getEncoder().encodeToString(this.symmetricKey);
	}

	/**
	 * The symmetric key's number.
	 * @return 32 hexadecimal digits
	 */
	public String symmetricKeySn() {
		return this.symmetricKeySn;
	}

	/**
	 * The app's private key, whose public half the sandbox verifies requests with.
	 * @return a PKCS#8 PEM
	 */
	public String appPrivateKeyPem() {
		return pem("PRIVATE KEY", this.appKeys.getPrivate().getEncoded());
	}

	/**
	 * The platform certificate the sandbox signs with first.
	 * @return an X.509 PEM
	 */
	public String platformCertificatePem() {
		return PLATFORM_1.certificatePem;
	}

	/**
	 * The first platform certificate's number.
	 * @return its number, not the certificate's own serial
	 */
	public String platformCertificateSn() {
		return PLATFORM_1.sn;
	}

	/**
	 * The platform certificate of {@link #rotatePlatformCertificate()}.
	 * @return an X.509 PEM
	 */
	public String nextPlatformCertificatePem() {
		return PLATFORM_2.certificatePem;
	}

	/**
	 * The next platform certificate's number.
	 * @return its number
	 */
	public String nextPlatformCertificateSn() {
		return PLATFORM_2.sn;
	}

	/**
	 * Starts a certificate change: answers are then signed with the next certificate in
	 * {@code Wechatmp-Serial}/{@code Wechatmp-Signature} and with the first one in
	 * {@code Wechatmp-Serial-Deprecated}/{@code Wechatmp-Signature-Deprecated}, as WeChat
	 * does.
	 */
	public void rotatePlatformCertificate() {
		this.rotated = true;
	}

	/**
	 * Spoils the next answer in API security mode; queued tamperings apply one per
	 * answer, in order.
	 * @param tampering how
	 */
	public void tamperNextAnswer(ApiSecurityTampering tampering) {
		this.tamperings.add(tampering);
	}

	/**
	 * Every request body received on an API in this mode, as sent: proves what travelled
	 * in clear.
	 * @return a snapshot, in arrival order
	 */
	public List<String> receivedBodies() {
		synchronized (this.receivedBodies) {
			return this.receivedBodies.stream().map((body) -> new String(body, StandardCharsets.UTF_8)).toList();
		}
	}

	@Override
	public String toString() {
		return "WeChatSandboxApiSecurity[appId=" + this.appId + ", symmetricKeySn=" + this.symmetricKeySn + "]";
	}

	/**
	 * Opens a request, lets the endpoint answer its plaintext parameters, and seals the
	 * answer.
	 * @param exchange the request, answered here
	 * @param urlPath the URL the request was signed for
	 * @param body the request body, the envelope
	 * @param endpoint answers the opened parameters
	 */
	void handle(HttpExchange exchange, String urlPath, byte[] body, Function<JsonNode, Map<String, Object>> endpoint)
			throws IOException {
		this.receivedBodies.add(body);
		Map<String, Object> refusal = new LinkedHashMap<>();
		JsonNode parameters = open(exchange.getRequestHeaders(), urlPath, body, refusal);
		if (parameters == null) {
			// WeChat's refusals of the envelope itself come back in plaintext.
			HttpExchanges.sendJson(exchange, 200, HttpExchanges.JSON, refusal);
			return;
		}
		answer(exchange, urlPath, endpoint.apply(parameters));
	}

	private @Nullable JsonNode open(Headers headers, String urlPath, byte[] body, Map<String, Object> refusal) {
		String appIdHeader = headers.getFirst("Wechatmp-Appid");
		String timestampHeader = headers.getFirst("Wechatmp-TimeStamp");
		String signature = headers.getFirst("Wechatmp-Signature");
		if (appIdHeader == null) {
			return refuse(refusal, 40233, "API_Missing_Wechatmp_Appid");
		}
		if (timestampHeader == null) {
			return refuse(refusal, 40231, "API_Missing_Wechatmp_Timestamp");
		}
		if (signature == null) {
			return refuse(refusal, 40232, "API_Missing_Wechatmp_Signature");
		}
		if (!this.appId.equals(appIdHeader)) {
			return refuse(refusal, 40237, "API_Invalid_Wechatmp_Appidmatch");
		}
		long timestamp;
		try {
			timestamp = Long.parseLong(timestampHeader);
		}
		catch (NumberFormatException ex) {
			return refuse(refusal, 40240, "API_Expired_Wechatmp_Timestamp");
		}
		if (!verify(this.appKeys.getPublic(), message(urlPath, timestamp, body), signature)) {
			return refuse(refusal, 40234, "API_Invalid_Signature");
		}
		if (Math.abs(this.clock.instant().getEpochSecond() - timestamp) > REQUEST_WINDOW.toSeconds()) {
			return refuse(refusal, 40240, "API_Expired_Wechatmp_Timestamp");
		}
		JsonNode envelope = HttpExchanges.jsonObject(body);
		byte[] plaintext = (envelope != null) ? decrypt(envelope, aad(urlPath, timestamp)) : null;
		JsonNode parameters = (plaintext != null) ? HttpExchanges.jsonObject(plaintext) : null;
		if (parameters == null || !this.appId.equals(HttpExchanges.text(parameters, "_appid"))
				|| parameters.path("_timestamp").asLong(-1) != timestamp
				|| HttpExchanges.text(parameters, "_n") == null) {
			return refuse(refusal, 40235, "API_Invalid_Encrypt");
		}
		((ObjectNode) parameters).remove(List.of("_n", "_appid", "_timestamp"));
		return parameters;
	}

	private void answer(HttpExchange exchange, String urlPath, Map<String, Object> response) throws IOException {
		ApiSecurityTampering tampering = this.tamperings.poll();
		if (tampering == ApiSecurityTampering.PLAINTEXT) {
			HttpExchanges.sendJson(exchange, 200, HttpExchanges.JSON, response);
			return;
		}
		long now = this.clock.instant().getEpochSecond();
		long timestamp = (tampering == ApiSecurityTampering.STALE_TIMESTAMP) ? now - 600 : now;
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("_n", Base64.getEncoder().withoutPadding().encodeToString(randomBytes(16)));
		payload.put("_appid", (tampering == ApiSecurityTampering.PAYLOAD_APPID) ? "wx0000000000000000" : this.appId);
		payload.put("_timestamp", (tampering == ApiSecurityTampering.PAYLOAD_TIMESTAMP) ? timestamp - 1 : timestamp);
		payload.putAll(response);
		byte[] key = (tampering == ApiSecurityTampering.WRONG_SYMMETRIC_KEY) ? randomBytes(32) : this.symmetricKey;
		byte[] body = seal(key, aad(urlPath, timestamp), JSON.writeValueAsBytes(payload));
		byte[] message = message(urlPath, timestamp, body);
		Headers headers = exchange.getResponseHeaders();
		headers.set("Wechatmp-Appid",
				(tampering == ApiSecurityTampering.FOREIGN_APPID) ? "wx0000000000000000" : this.appId);
		headers.set("Wechatmp-TimeStamp", Long.toString(timestamp));
		if (tampering == ApiSecurityTampering.FOREIGN_SERIAL) {
			headers.set("Wechatmp-Serial", HexFormat.of().formatHex(randomBytes(16)));
			headers.set("Wechatmp-Signature", sign(this.foreignPlatformKeys.getPrivate(), message));
		}
		else if (this.rotated) {
			headers.set("Wechatmp-Serial", PLATFORM_2.sn);
			headers.set("Wechatmp-Signature", sign(PLATFORM_2.privateKey, message));
			headers.set("Wechatmp-Serial-Deprecated", PLATFORM_1.sn);
			headers.set("Wechatmp-Signature-Deprecated", sign(PLATFORM_1.privateKey, message));
		}
		else {
			headers.set("Wechatmp-Serial", PLATFORM_1.sn);
			headers.set("Wechatmp-Signature", sign(PLATFORM_1.privateKey, message));
		}
		if (tampering == ApiSecurityTampering.BAD_SIGNATURE) {
			byte[] signature = Base64.getDecoder().decode(headers.getFirst("Wechatmp-Signature"));
			signature[signature.length / 2] ^= 1;
			headers.set("Wechatmp-Signature", Base64.getEncoder().encodeToString(signature));
		}
		if (tampering == ApiSecurityTampering.ALTERED_BODY) {
			body = Arrays.copyOf(body, body.length + 1);
			body[body.length - 1] = ' ';
		}
		HttpExchanges.send(exchange, 200, HttpExchanges.JSON, body);
	}

	private static @Nullable JsonNode refuse(Map<String, Object> refusal, int errcode, String errmsg) {
		refusal.putAll(WeChatErrors.body(errcode, errmsg));
		return null;
	}

	private String aad(String urlPath, long timestamp) {
		return urlPath + "|" + this.appId + "|" + timestamp + "|" + this.symmetricKeySn;
	}

	private byte[] message(String urlPath, long timestamp, byte[] body) {
		byte[] head = (urlPath + "\n" + this.appId + "\n" + timestamp + "\n").getBytes(StandardCharsets.UTF_8);
		byte[] message = Arrays.copyOf(head, head.length + body.length);
		System.arraycopy(body, 0, message, head.length, body.length);
		return message;
	}

	private byte @Nullable [] decrypt(JsonNode envelope, String aad) {
		try {
			Base64.Decoder base64 = Base64.getDecoder();
			byte[] iv = base64.decode(HttpExchanges.text(envelope, "iv"));
			byte[] data = base64.decode(HttpExchanges.text(envelope, "data"));
			byte[] tag = base64.decode(HttpExchanges.text(envelope, "authtag"));
			if (iv.length != 12 || tag.length != 16) {
				return null;
			}
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(this.symmetricKey, "AES"),
					new GCMParameterSpec(128, iv));
			cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
			cipher.update(data);
			return cipher.doFinal(tag);
		}
		catch (GeneralSecurityException | IllegalArgumentException | NullPointerException ex) {
			return null;
		}
	}

	private static byte[] seal(byte[] key, String aad, byte[] plaintext) {
		try {
			byte[] iv = randomBytes(12);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
			cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(plaintext);
			Map<String, String> envelope = new LinkedHashMap<>();
			Base64.Encoder base64 = Base64.getEncoder();
			envelope.put("iv", base64.encodeToString(iv));
			envelope.put("data", base64.encodeToString(Arrays.copyOf(sealed, sealed.length - 16)));
			envelope.put("authtag",
					base64.encodeToString(Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length)));
			return JSON.writeValueAsBytes(envelope);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String sign(PrivateKey key, byte[] message) {
		try {
			Signature signature = Signature.getInstance("RSASSA-PSS");
			signature.setParameter(PSS);
			signature.initSign(key);
			signature.update(message);
			return Base64.getEncoder().encodeToString(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean verify(PublicKey key, byte[] message, String signatureBase64) {
		try {
			Signature signature = Signature.getInstance("RSASSA-PSS");
			signature.setParameter(PSS);
			signature.initVerify(key);
			signature.update(message);
			return signature.verify(Base64.getDecoder().decode(signatureBase64));
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return false;
		}
	}

	private static byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		RANDOM.nextBytes(bytes);
		return bytes;
	}

	private static KeyPair generateRsa() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String pem(String label, byte[] der) {
		return "-----BEGIN " + label + "-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
				+ "\n-----END " + label + "-----\n";
	}

	/**
	 * A platform certificate shipped with the sandbox, its private key and its number.
	 */
	private record Platform(String sn, String certificatePem, PrivateKey privateKey) {

		static Platform load(int number) {
			String key = resource("platform-" + number + "-key.pem");
			String base64 = key.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
			try {
				PrivateKey privateKey = KeyFactory.getInstance("RSA")
					.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
				// A number of the administration page's form, fixed per certificate.
				String sn = "5a4d6b0c1e2f3a4b5c6d7e8f9a0b1c0" + number;
				return new Platform(sn, resource("platform-" + number + "-certificate.pem"), privateKey);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

		private static String resource(String name) {
			try (InputStream in = WeChatSandboxApiSecurity.class.getResourceAsStream("api-security/" + name)) {
				return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
