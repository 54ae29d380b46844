package io.github.wechatminiapp.fuzz;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.crypto.OpenDataCipher;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.phone.PhoneNumber;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.testsupport.OfflineClients;
import io.github.wechatminiapp.testsupport.OpenDataEncryption;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * Thousands of generated hostile inputs (QuickTheories): each ends in a typed exception
 * with a message that carries nothing of the input or the key, or in the right phone
 * number; never in anything else.
 */
class BadInputPropertiesTests {

	private static final String APP_ID = "wx0123456789abcdef";

	private static final String OPENID = "o-fuzzed-user";

	private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private static final String KEY_BASE64 = Base64.getEncoder().encodeToString(KEY);

	private static final byte[] OTHER_KEY = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

	private static final Instant FRESH = Instant.now();

	private static final String VALID_JSON = phoneJson(APP_ID, FRESH);

	private final PhoneNumberService service = service();

	private static PhoneNumberService service() {
		CaffeineSessionKeyRepository sessionKeys = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		sessionKeys.save(OPENID, SessionKey.ofBytes(KEY));
		// Decryption never calls WeChat: an offline client and no access tokens prove it.
		// Thousands of hostile payloads for one user: a budget would drop the key, which
		// its own tests check.
		PhoneNumberService service = new PhoneNumberService(OfflineClients.client(APP_ID), sessionKeys,
				OfflineClients.NO_ACCESS_TOKENS);
		service.setFailureBudget(Integer.MAX_VALUE);
		return service;
	}

	/**
	 * Against a reference model (the JDK's own AES/CBC/PKCS5Padding after decoding the
	 * Base64 as WeChat's clients damage it): whatever the model can decrypt must come out
	 * byte for byte, and everything else must fail with the one message. Real ciphertexts
	 * are in the mix, so both outcomes occur many times.
	 */
	@Test
	void cipherDecryptsExactlyWhatAStrictReferenceDecryptsAndRejectsTheRestWithOneMessage() {
		AtomicInteger decrypted = new AtomicInteger();
		AtomicInteger rejected = new AtomicInteger();
		Gen<String> keys = Generate.oneOf(Generate.constant(KEY_BASE64), Generate.constant(KEY_BASE64),
				Generate.constant(KEY_BASE64), mangledBlock());
		qt().withExamples(1500).forAll(mangledBase64(), mangledBlock(), keys).checkAssert((data, iv, key) -> {
			byte[] expected = referenceDecrypt(key, data, iv);
			byte[] actual;
			try {
				actual = OpenDataCipher.decrypt(key, data, iv);
			}
			catch (OpenDataException ex) {
				assertThat(ex).hasMessage(OpenDataException.MESSAGE);
				assertThat(expected).as("rejected what the reference decrypts").isNull();
				rejected.incrementAndGet();
				return;
			}
			assertThat(expected).as("decrypted what the reference rejects").isNotNull();
			assertThat(actual).isEqualTo(expected);
			decrypted.incrementAndGet();
		});
		assertThat(decrypted).hasValueGreaterThan(50);
		assertThat(rejected).hasValueGreaterThan(500);
	}

	@Test
	void serviceAnswersHostilePayloadsWithTypedExceptions() {
		AtomicInteger valid = new AtomicInteger();
		AtomicInteger hostile = new AtomicInteger();
		qt().withExamples(1500).forAll(hostilePayloads()).checkAssert((payload) -> {
			(payload.valid() ? valid : hostile).incrementAndGet();
			try {
				PhoneNumber phone = this.service.decryptPhoneNumber(payload.openid(), payload.encryptedData(),
						payload.iv());
				assertThat(payload.valid()).as("accepted %s", payload).isTrue();
				assertThat(phone).isEqualTo(new PhoneNumber("13800138000", "13800138000", "86"));
			}
			catch (OpenDataException ex) {
				assertThat(payload.valid()).as("rejected %s: %s", payload, ex.reason()).isFalse();
				assertThat(ex.getMessage()).doesNotContain(KEY_BASE64).doesNotContain("13800138000");
			}
			catch (InvalidInputException ex) {
				assertThat(payload.valid()).isFalse();
				assertThat(ex.getMessage()).startsWith("openid");
			}
			catch (LoginRequiredException ex) {
				// Under a key the data does not fit (or no key): the user must log in
				// again; nothing said.
				assertThat(payload.valid()).as("rejected %s: %s", payload, ex.reason()).isFalse();
				assertThat(ex.getMessage()).doesNotContain(KEY_BASE64).doesNotContain("13800138000");
			}
			catch (WeChatMiniAppException ex) {
				throw new AssertionError("unexpected " + ex.getClass().getSimpleName() + " for " + payload);
			}
		});
		// Valid payloads ran too, or acceptance was never tested.
		assertThat(valid).hasValueGreaterThanOrEqualTo(10);
		assertThat(hostile).hasValueGreaterThan(1000);
	}

	private static Gen<String> mangledBase64() {
		Gen<String> valid = Generate
			.byteArrays(Generate.range(0, 96), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
			.map((bytes) -> Base64.getEncoder().encodeToString(bytes));
		Gen<String> genuine = Generate
			.byteArrays(Generate.range(0, 64), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
			.map((bytes) -> OpenDataEncryption.encrypt(KEY, new byte[16],
					new String(bytes, StandardCharsets.ISO_8859_1)));
		return Generate.oneOf(genuine, genuine, genuine, genuine.map((s) -> s.replace('+', '-').replace('/', '_')),
				genuine.map((s) -> s.replace('+', ' ')),
				genuine.map((s) -> s.substring(0, s.length() / 2) + "\r\n" + s.substring(s.length() / 2)), valid,
				valid.map((s) -> s.substring(0, s.length() / 2)), valid.map((s) -> s + "=="),
				valid.map((s) -> s.replace('+', '-').replace('/', '_').replace("=", "")), valid.map((s) -> s + "%2B"),
				valid.map((s) -> "\u200b" + s), valid.map((s) -> s.replace('A', 'Ａ')),
				strings().allPossible().ofLengthBetween(0, 64), strings().ascii().ofLengthBetween(0, 64),
				Generate.constant("A".repeat(OpenDataCipher.MAX_ENCRYPTED_DATA_LENGTH + 1)), Generate.constant(""),
				Generate.constant((String) null));
	}

	private static Gen<String> mangledBlock() {
		Gen<String> block = Generate
			.byteArrays(Generate.range(0, 40), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
			.map((bytes) -> Base64.getEncoder().encodeToString(bytes));
		Gen<String> sixteenBytes = Generate
			.byteArrays(Generate.constant(16), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
			.map((bytes) -> Base64.getEncoder().encodeToString(bytes));
		return Generate.oneOf(sixteenBytes, sixteenBytes, Generate.constant(KEY_BASE64), block,
				Generate.constant(KEY_BASE64.replace("=", "")), Generate.constant(KEY_BASE64 + " "),
				Generate.constant(KEY_BASE64.toLowerCase()), strings().allPossible().ofLength(24),
				Generate.constant("A".repeat(100_000)), Generate.constant((String) null));
	}

	private static Gen<Payload> hostilePayloads() {
		// The valid payload four times in 28: about 60 valid requests in 1,500 (one in 25
		// gave 17 on average and fewer than 10 in one run of 30).
		Gen<String> plaintext = Generate.pick(List.of(VALID_JSON, VALID_JSON, VALID_JSON, VALID_JSON,
				phoneJson("wxffffffffffffffff", Instant.now()), phoneJson(APP_ID, Instant.now().minusSeconds(3600)),
				phoneJson(APP_ID, Instant.EPOCH), phoneJson(APP_ID, Instant.now().plusSeconds(365L * 24 * 3600)),
				VALID_JSON.replace("\"timestamp\":" + FRESH.getEpochSecond(), "\"timestamp\":31556889864403199"),
				VALID_JSON.replace("\"timestamp\":" + FRESH.getEpochSecond(), "\"timestamp\":1e400"), "{\"foo\":1}",
				"[]", "\"13800138000\"", "null", "{\"purePhoneNumber\":{},\"watermark\":{}}",
				"{\"purePhoneNumber\":\"13800138000\"}", "{\"watermark\":\"" + APP_ID + "\"}", "not json at all",
				VALID_JSON.replace("\"appid\":\"" + APP_ID + "\"", "\"appid\":\"" + APP_ID + "\\u0000\""),
				VALID_JSON.replace("\"timestamp\":" + FRESH.getEpochSecond(), "\"timestamp\":\"now\""),
				// Duplicate names are ambiguous (which number?), trailing data is not one
				// JSON document, and the
				// three numbers must all be there and agree.
				VALID_JSON.replace("{\"phoneNumber\"", "{\"purePhoneNumber\":\"13900000000\",\"phoneNumber\""),
				VALID_JSON + "{}", VALID_JSON + " x",
				VALID_JSON.replace("\"purePhoneNumber\":\"13800138000\"", "\"purePhoneNumber\":\"\""),
				VALID_JSON.replace("{\"phoneNumber\"", "{\"phoneLumber\""),
				VALID_JSON.replace(",\"countryCode\":\"86\"", ""),
				VALID_JSON.replace("\"phoneNumber\":\"13800138000\"", "\"phoneNumber\":\"13900000000\"")));
		Gen<Boolean> rightKey = Generate.pick(List.of(true, true, false));
		Gen<String> openid = Generate.oneOf(Generate.constant(OPENID), Generate.constant(OPENID),
				Generate.constant(OPENID), Generate.constant("o-other-user"), Generate.constant(""),
				Generate.constant("x".repeat(500)), strings().allPossible().ofLengthBetween(0, 40));
		Gen<byte[]> ivs = Generate.byteArrays(Generate.constant(16),
				Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
		return plaintext.zip(rightKey, openid, ivs, (json, withRightKey, user, iv) -> {
			String encryptedData = OpenDataEncryption.encrypt(withRightKey ? KEY : OTHER_KEY, iv, json);
			boolean valid = withRightKey && OPENID.equals(user) && json.equals(VALID_JSON);
			return new Payload(user, encryptedData, Base64.getEncoder().encodeToString(iv), valid,
					(withRightKey ? "right key, " : "other key, ") + "openid of " + user.length() + " chars, " + json);
		});
	}

	/**
	 * What a correct implementation decrypts: Base64 repaired only as WeChat's clients
	 * damage it (a {@code +} turned into a space, line breaks, the URL-safe alphabet),
	 * 16-byte key and iv, at most 32 KiB of text, PKCS#7 padding as the JDK checks it.
	 * Null when it cannot be decrypted.
	 */
	private static byte[] referenceDecrypt(String key, String data, String iv) {
		byte[] keyBytes = referenceBase64(key, 48);
		byte[] ivBytes = referenceBase64(iv, 48);
		byte[] ciphertext = referenceBase64(data, OpenDataCipher.MAX_ENCRYPTED_DATA_LENGTH);
		if (keyBytes == null || keyBytes.length != 16 || ivBytes == null || ivBytes.length != 16 || ciphertext == null
				|| ciphertext.length == 0 || key.length() < 24 || iv.length() < 24) {
			return null;
		}
		try {
			Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
			cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyBytes, "AES"), new IvParameterSpec(ivBytes));
			return cipher.doFinal(ciphertext);
		}
		catch (GeneralSecurityException ex) {
			return null;
		}
	}

	private static byte[] referenceBase64(String text, int maxLength) {
		if (text == null || text.length() > maxLength) {
			return null;
		}
		String repaired = text.replace(' ', '+')
			.replace('-', '+')
			.replace('_', '/')
			.replace("\r", "")
			.replace("\n", "");
		try {
			return Base64.getDecoder().decode(repaired);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static String phoneJson(String appId, Instant timestamp) {
		return "{\"phoneNumber\":\"13800138000\",\"purePhoneNumber\":\"13800138000\",\"countryCode\":\"86\","
				+ "\"watermark\":{\"timestamp\":" + timestamp.getEpochSecond() + ",\"appid\":\"" + appId + "\"}}";
	}

	record Payload(String openid, String encryptedData, String iv, boolean valid, String description) {

		@Override
		public String toString() {
			return this.description;
		}

	}

}
