package io.github.wechatminiapp.fuzz;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.crypto.OpenDataCipher;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.phone.PhoneNumber;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.token.AccessTokenProvider;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of generated hostile inputs: each ends in a typed exception with a message that carries nothing of
 * the input or the key, or in the right phone number; never in anything else.
 */
class BadInputProperties {

	private static final String APP_ID = "wx0123456789abcdef";

	private static final String OPENID = "o-fuzzed-user";

	private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private static final String KEY_BASE64 = Base64.getEncoder().encodeToString(KEY);

	private static final byte[] OTHER_KEY = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Instant FRESH = Instant.now();

	private final PhoneNumberService service = service();

	private static PhoneNumberService service() {
		CaffeineSessionKeyRepository sessionKeys = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		sessionKeys.save(OPENID, SessionKey.ofBytes(KEY));
		// Decryption never calls WeChat: a client pointed at a closed loopback port proves it.
		WeChatMiniAppClient client = new WeChatMiniAppClient(RestClient.builder().baseUrl("http://127.0.0.1:9").build(),
				APP_ID, "0123456789abcdef0123456789abcdef", RetrySettings.DEFAULT);
		AccessTokenProvider noTokens = new AccessTokenProvider() {

			@Override
			public String getAccessToken() {
				throw new AssertionError("no token is needed to decrypt");
			}

			@Override
			public void invalidate(String rejectedToken) {
			}

		};
		return new PhoneNumberService(client, sessionKeys, noTokens, Duration.ofMinutes(5), Clock.systemUTC());
	}

	@Property(tries = 1500)
	void cipherRejectsMangledInputWithOneMessage(@ForAll("mangledBase64") String encryptedData,
			@ForAll("mangledBlock") String iv, @ForAll("mangledBlock") String key) {
		try {
			OpenDataCipher.decrypt(key, encryptedData, iv);
		}
		catch (OpenDataException ex) {
			assertThat(ex).hasMessage(OpenDataException.MESSAGE);
		}
	}

	@Property(tries = 1500)
	void serviceAnswersHostilePayloadsWithTypedExceptions(@ForAll("hostilePayloads") Payload payload) {
		Statistics.collect(payload.valid() ? "valid" : "hostile");
		Statistics.coverage((coverage) -> {
			coverage.check("valid").count((count) -> count >= 10);
			coverage.check("hostile").percentage((percentage) -> percentage > 80);
		});
		try {
			PhoneNumber phone = this.service.decryptPhoneNumber(payload.openid(), payload.encryptedData(),
					payload.iv());
			assertThat(payload.valid()).as("accepted %s", payload.description()).isTrue();
			assertThat(phone.purePhoneNumber()).isEqualTo("13800138000");
		}
		catch (OpenDataException ex) {
			assertThat(payload.valid()).as("rejected %s: %s", payload.description(), ex.reason()).isFalse();
			assertThat(ex.getMessage()).doesNotContain(KEY_BASE64).doesNotContain("13800138000");
		}
		catch (InvalidInputException ex) {
			assertThat(payload.valid()).isFalse();
			assertThat(ex.getMessage()).startsWith("openid");
		}
		catch (WeChatMiniAppException ex) {
			throw new AssertionError("unexpected " + ex.getClass().getSimpleName() + " for " + payload.description());
		}
	}

	@Provide
	Arbitrary<String> mangledBase64() {
		Arbitrary<String> valid = Arbitraries.bytes().array(byte[].class).ofMaxSize(96)
			.map((bytes) -> Base64.getEncoder().encodeToString(bytes));
		return Arbitraries.oneOf(valid, valid.map((s) -> s.isEmpty() ? s : s.substring(0, s.length() / 2)),
				valid.map((s) -> s + "=="), valid.map((s) -> s.replace('+', '-').replace('/', '_').replace("=", "")),
				valid.map((s) -> s + "%2B"), valid.map((s) -> "\u200b" + s), valid.map((s) -> s.replace('A', 'Ａ')),
				Arbitraries.strings().ofMaxLength(64), Arbitraries.strings().withCharRange('!', '~').ofMaxLength(64),
				Arbitraries.just("A".repeat(OpenDataCipher.MAX_ENCRYPTED_DATA_LENGTH + 1)), Arbitraries.just(""),
				Arbitraries.just(null));
	}

	@Provide
	Arbitrary<String> mangledBlock() {
		Arbitrary<String> block = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(40)
			.map((bytes) -> Base64.getEncoder().encodeToString(bytes));
		return Arbitraries.oneOf(block, Arbitraries.just(KEY_BASE64), Arbitraries.just(KEY_BASE64.replace("=", "")),
				Arbitraries.just(KEY_BASE64 + " "), Arbitraries.just(KEY_BASE64.toLowerCase()),
				Arbitraries.strings().ofLength(24), Arbitraries.just(null));
	}

	@Provide
	Arbitrary<Payload> hostilePayloads() {
		Arbitrary<String> phonePayload = Arbitraries.of(
				phoneJson(APP_ID, null), phoneJson("wxffffffffffffffff", Instant.now()),
				phoneJson(APP_ID, Instant.now().minusSeconds(3600)), phoneJson(APP_ID, Instant.EPOCH),
				"{\"foo\":1}", "[]", "\"13800138000\"", "null", "{\"purePhoneNumber\":{},\"watermark\":{}}",
				"{\"purePhoneNumber\":\"13800138000\"}", "{\"watermark\":\"" + APP_ID + "\"}", "not json at all",
				"{\"purePhoneNumber\":\"13800138000\",\"watermark\":{\"appid\":\"" + APP_ID
						+ "\u0000\",\"timestamp\":" + Instant.now().getEpochSecond() + "}}",
				"{\"purePhoneNumber\":\"13800138000\",\"watermark\":{\"appid\":\"" + APP_ID + "\",\"timestamp\":\"now\"}}",
				// Duplicate names are ambiguous (which number?) and trailing data is not one JSON document.
				phoneJson(APP_ID, null).replace("{\"phoneNumber\"", "{\"purePhoneNumber\":\"13900000000\",\"phoneNumber\""),
				phoneJson(APP_ID, null) + "{}", phoneJson(APP_ID, null) + " x",
				phoneJson(APP_ID, null).replace("\"purePhoneNumber\":\"13800138000\"", "\"purePhoneNumber\":\"\""));
		Arbitrary<Boolean> rightKey = Arbitraries.of(true, true, false);
		Arbitrary<String> openid = Arbitraries.oneOf(Arbitraries.just(OPENID), Arbitraries.just(OPENID),
				Arbitraries.just(OPENID), Arbitraries.just("o-other-user"), Arbitraries.just(""),
				Arbitraries.just("x".repeat(500)), Arbitraries.strings().ofMaxLength(40));
		return Combinators.combine(phonePayload, rightKey, openid).as((plaintext, withRightKey, user) -> {
			byte[] iv = new byte[16];
			RANDOM.nextBytes(iv);
			String encryptedData = encrypt(withRightKey ? KEY : OTHER_KEY, iv, plaintext);
			String ivText = Base64.getEncoder().encodeToString(iv);
			boolean valid = withRightKey && OPENID.equals(user) && plaintext.equals(phoneJson(APP_ID, null));
			return new Payload(user, encryptedData, ivText, valid,
					(withRightKey ? "right key, " : "other key, ") + "openid " + user.length() + " chars, " + plaintext);
		});
	}

	/** With a null timestamp, the fresh valid payload's shape, to compare against. */
	private static String phoneJson(String appId, Instant timestamp) {
		Instant at = (timestamp != null) ? timestamp : FRESH;
		return "{\"phoneNumber\":\"13800138000\",\"purePhoneNumber\":\"13800138000\",\"countryCode\":\"86\","
				+ "\"watermark\":{\"timestamp\":" + at.getEpochSecond() + ",\"appid\":\"" + appId + "\"}}";
	}

	private static String encrypt(byte[] key, byte[] iv, String plaintext) {
		try {
			Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
			cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
			return Base64.getEncoder().encodeToString(cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Payload(String openid, String encryptedData, String iv, boolean valid, String description) {

		@Override
		public String toString() {
			return this.description;
		}

	}

}
