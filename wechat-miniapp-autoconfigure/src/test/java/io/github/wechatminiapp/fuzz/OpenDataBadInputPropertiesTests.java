package io.github.wechatminiapp.fuzz;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.opendata.OpenDataService;
import io.github.wechatminiapp.opendata.WeRunData;
import io.github.wechatminiapp.opendata.WeRunStep;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.session.SessionKeyNotFoundException;
import io.github.wechatminiapp.testsupport.OpenDataEncryption;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * Generated hostile open data and rawData (QuickTheories) through
 * {@link OpenDataService}: each payload ends in the WeRun data it holds or in a typed
 * exception with the one message; {@code verifyRawData} answers, never throws.
 */
class OpenDataBadInputPropertiesTests {

	private static final String APP_ID = "wx0123456789abcdef";

	private static final String OPENID = "o-fuzzed-user";

	private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private static final String KEY_BASE64 = Base64.getEncoder().encodeToString(KEY);

	private static final byte[] OTHER_KEY = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

	private static final String WATERMARK = "\"watermark\":{\"timestamp\":" + Instant.now().getEpochSecond()
			+ ",\"appid\":\"" + APP_ID + "\"}";

	private static final String VALID_JSON = "{\"stepInfoList\":[{\"timestamp\":1,\"step\":2}]," + WATERMARK + "}";

	private final OpenDataService service = service();

	private static OpenDataService service() {
		CaffeineSessionKeyRepository sessionKeys = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		sessionKeys.save(OPENID, SessionKey.ofBytes(KEY));
		// Thousands of hostile payloads for one user: a budget would drop the key, which
		// its own tests check.
		OpenDataService service = new OpenDataService(APP_ID, sessionKeys);
		service.setFailureBudget(Integer.MAX_VALUE);
		return service;
	}

	@Test
	void hostilePayloadsEndInTheirDataOrATypedException() {
		AtomicInteger valid = new AtomicInteger();
		AtomicInteger hostile = new AtomicInteger();
		qt().withExamples(1500).forAll(payloads()).checkAssert((payload) -> {
			(payload.valid() ? valid : hostile).incrementAndGet();
			try {
				WeRunData data = this.service.decrypt(payload.openid(), payload.encryptedData(), payload.iv(),
						WeRunData.class);
				assertThat(payload.valid()).as("accepted %s", payload).isTrue();
				assertThat(data).isEqualTo(new WeRunData(List.of(new WeRunStep(1, 2))));
			}
			catch (SessionKeyNotFoundException ex) {
				assertThat(payload.openid()).isNotEqualTo(OPENID);
			}
			catch (OpenDataException ex) {
				assertThat(payload.valid()).as("rejected %s: %s", payload, ex.reason()).isFalse();
				assertThat(ex).hasMessage(OpenDataException.MESSAGE);
			}
			catch (LoginRequiredException ex) {
				// Under a key the data does not fit: the same message as any other
				// decryption failure.
				assertThat(payload.valid()).as("rejected %s: %s", payload, ex.reason()).isFalse();
				assertThat(ex.reason()).isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
				assertThat(ex).hasMessage(OpenDataException.MESSAGE);
			}
			catch (InvalidInputException ex) {
				assertThat(payload.valid()).isFalse();
				assertThat(ex.getMessage()).startsWith("openid");
			}
			catch (WeChatMiniAppException ex) {
				throw new AssertionError("unexpected " + ex.getClass().getSimpleName() + " for " + payload);
			}
		});
		assertThat(valid).hasValueGreaterThanOrEqualTo(10);
		assertThat(hostile).hasValueGreaterThan(1000);
	}

	@Test
	void verifyRawDataAnswersEveryInputWithoutThrowing() {
		String rawData = "{\"nickName\":\"微信用户\"}";
		String signature = sha1Hex(rawData + KEY_BASE64);
		assertThat(this.service.verifyRawData(OPENID, rawData, signature)).isTrue();
		Gen<String> texts = Generate.oneOf(strings().allPossible().ofLengthBetween(0, 64),
				strings().ascii().ofLengthBetween(0, 64), Generate.constant(rawData), Generate.constant(signature),
				Generate.constant(signature.toUpperCase()), Generate.constant("x".repeat(40_000)),
				Generate.constant((String) null), Generate.constant(OPENID), Generate.constant(""));
		qt().withExamples(1500).forAll(texts, texts, texts).checkAssert((openid, data, sig) -> {
			boolean verified = this.service.verifyRawData(openid, data, sig);
			boolean expected = OPENID.equals(openid) && rawData.equals(data) && sig != null
					&& sig.equalsIgnoreCase(signature);
			assertThat(verified).as("%s / %s / %s", openid, data, sig).isEqualTo(expected);
		});
	}

	private static Gen<Payload> payloads() {
		Gen<String> plaintext = Generate.pick(List.of(VALID_JSON, VALID_JSON, VALID_JSON, VALID_JSON + "{}",
				VALID_JSON + " 1", " " + VALID_JSON, "[" + VALID_JSON + "]", "null", "",
				"{\"stepInfoList\":[{\"timestamp\":1,\"step\":2,\"step\":3}]," + WATERMARK + "}",
				"{\"stepInfoList\":[{\"timestamp\":1,\"step\":\"x\"}]," + WATERMARK + "}",
				"{\"stepInfoList\":[]," + WATERMARK + "," + WATERMARK + "}",
				"{\"stepInfoList\":[{\"timestamp\":1,\"step\":2}]}",
				"{\"openId\":\"o-other\",\"stepInfoList\":[{\"timestamp\":1,\"step\":2}]," + WATERMARK + "}",
				VALID_JSON.replace(APP_ID, "wxffffffffffffffff"), "{" + "[".repeat(2000) + "]".repeat(2000) + "}",
				"{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "," + WATERMARK + "}", "not json at all"));
		Gen<Boolean> rightKey = Generate.pick(List.of(true, true, false));
		Gen<String> openid = Generate.oneOf(Generate.constant(OPENID), Generate.constant(OPENID),
				Generate.constant(OPENID), Generate.constant("o-other"), Generate.constant(""),
				Generate.constant("x".repeat(500)), strings().allPossible().ofLengthBetween(0, 40));
		Gen<byte[]> ivs = Generate.byteArrays(Generate.constant(16),
				Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
		return plaintext.zip(rightKey, openid, ivs, (json, withRightKey, user, iv) -> {
			String encryptedData = OpenDataEncryption.encrypt(withRightKey ? KEY : OTHER_KEY, iv, json);
			boolean valid = withRightKey && OPENID.equals(user) && json.equals(VALID_JSON);
			return new Payload(user, encryptedData, Base64.getEncoder().encodeToString(iv), valid,
					(withRightKey ? "right key, " : "other key, ") + "openid of " + user.length() + " chars, "
							+ json.substring(0, Math.min(json.length(), 120)));
		});
	}

	private static String sha1Hex(String text) {
		try {
			return java.util.HexFormat.of()
				.formatHex(
						java.security.MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
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
