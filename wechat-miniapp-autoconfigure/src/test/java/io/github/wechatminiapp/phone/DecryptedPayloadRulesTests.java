package io.github.wechatminiapp.phone;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.testsupport.OfflineClients;
import io.github.wechatminiapp.testsupport.OpenDataEncryption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The rules a decrypted phone payload must pass, one payload per rule, each encrypted
 * with the user's real key so that only the rule under test can refuse it: each name read
 * at most once (wherever it appears), numbers as strings or JSON numbers, empty or
 * non-scalar values counted as absent.
 */
class DecryptedPayloadRulesTests {

	private static final String APP_ID = "wx0123456789abcdef";

	private static final String OPENID = "o-payload-rules";

	private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	/** 2025-03-01T08:00:00Z. */
	private static final long NOW_SECONDS = 1740816000L;

	private static final Instant NOW = Instant.ofEpochSecond(NOW_SECONDS);

	private static final String WATERMARK = "\"watermark\":{\"timestamp\":" + NOW_SECONDS + ",\"appid\":\"" + APP_ID
			+ "\"}";

	private static final String NUMBERS = "\"phoneNumber\":\"13800138000\",\"purePhoneNumber\":\"13800138000\"";

	private static final PhoneNumber EXPECTED = new PhoneNumber("13800138000", "13800138000", "86");

	private final PhoneNumberService service = service();

	private static PhoneNumberService service() {
		CaffeineSessionKeyRepository sessionKeys = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		sessionKeys.save(OPENID, SessionKey.ofBytes(KEY));
		// Decryption never calls WeChat: an offline client and no access tokens prove it.
		PhoneNumberService service = new PhoneNumberService(OfflineClients.client(APP_ID), sessionKeys,
				OfflineClients.NO_ACCESS_TOKENS);
		service.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
		return service;
	}

	@Test
	void theWellFormedPayloadIsAccepted() {
		assertThat(decrypt("{" + NUMBERS + ",\"countryCode\":\"86\"," + WATERMARK + "}")).isEqualTo(EXPECTED);
	}

	@Test
	void aCountryCodeWrittenAsAJsonNumberIsReadAsText() {
		assertThat(decrypt("{" + NUMBERS + ",\"countryCode\":86," + WATERMARK + "}")).isEqualTo(EXPECTED);
	}

	@Test
	void namesNotReadMayNotComeTwiceEitherAndDoNotResetTheDuplicateCheck() {
		// One strict reader for every payload: no name twice at any depth, read or not.
		assertRejected("{\"x\":1,\"x\":2," + NUMBERS + ",\"countryCode\":\"86\"," + WATERMARK + "}");
		assertRejected("{\"x\":{\"y\":1,\"y\":1}," + NUMBERS + ",\"countryCode\":\"86\"," + WATERMARK + "}");
		assertThat(decrypt("{\"x\":{\"x\":1},\"y\":[{\"x\":1},{\"x\":2}]," + NUMBERS + ",\"countryCode\":\"86\","
				+ WATERMARK + "}"))
			.isEqualTo(EXPECTED);
		// A name not read between the two: its copies must still be seen as one name
		// twice.
		assertRejected("{" + NUMBERS + ",\"countryCode\":\"86\",\"extra\":true,\"phoneNumber\":\"13800138000\","
				+ WATERMARK + "}");
		assertRejected("{\"watermark\":{\"appid\":\"" + APP_ID + "\",\"x\":0,\"appid\":\"" + APP_ID
				+ "\",\"timestamp\":" + NOW.getEpochSecond() + "}," + NUMBERS + ",\"countryCode\":\"86\"}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"phoneNumber\":\"13800138000\"", "\"purePhoneNumber\":\"13800138000\"",
			"\"countryCode\":\"86\"", WATERMARK })
	void eachNameReadCountsOnceEvenWithTheSameValue(String again) {
		assertRejected("{" + NUMBERS + ",\"countryCode\":\"86\"," + WATERMARK + "," + again + "}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"appid\":\"" + APP_ID + "\"", "\"timestamp\":" + NOW_SECONDS })
	void eachWatermarkFieldCountsOnce(String again) {
		assertRejected("{" + NUMBERS + ",\"countryCode\":\"86\",\"watermark\":{\"timestamp\":" + NOW.getEpochSecond()
				+ ",\"appid\":\"" + APP_ID + "\"," + again + "}}");
	}

	@Test
	void watermarkFieldsAreNotTheTopLevelNames() {
		// phoneNumber inside the watermark is not the phoneNumber: not read, and no
		// duplicate of it.
		assertThat(decrypt("{" + NUMBERS + ",\"countryCode\":\"86\",\"watermark\":{\"phoneNumber\":\"1\",\"timestamp\":"
				+ NOW.getEpochSecond() + ",\"appid\":\"" + APP_ID + "\",\"countryCode\":{}}}"))
			.isEqualTo(EXPECTED);
		// And appid at the top level is not the watermark's.
		assertThat(
				decrypt("{\"appid\":\"wxffffffffffffffff\"," + NUMBERS + ",\"countryCode\":\"86\"," + WATERMARK + "}"))
			.isEqualTo(EXPECTED);
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"\"", "true", "null", "{}", "[\"86\"]", "8.6" })
	void anEmptyOrNonScalarCountryCodeIsAbsent(String countryCode) {
		assertRejected("{" + NUMBERS + ",\"countryCode\":" + countryCode + "," + WATERMARK + "}");
	}

	@Test
	void emptyNumbersAreAbsentEvenWhenTheyWouldAgree() {
		assertRejected("{\"phoneNumber\":\"\",\"purePhoneNumber\":\"\",\"countryCode\":\"86\"," + WATERMARK + "}");
		assertRejected("{\"phoneNumber\":{},\"purePhoneNumber\":{},\"countryCode\":\"86\"," + WATERMARK + "}");
	}

	@Test
	void anEmptyOrNonScalarAppIdIsAbsent() {
		for (String appId : new String[] { "\"\"", "{}", "[]" }) {
			assertThatExceptionOfType(OpenDataException.class)
				.isThrownBy(() -> decrypt("{" + NUMBERS + ",\"countryCode\":\"86\",\"watermark\":{\"timestamp\":"
						+ NOW.getEpochSecond() + ",\"appid\":" + appId + "}}"))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.WATERMARK_APPID_MISMATCH));
		}
	}

	@Test
	void aWatermarkThatIsNotAnObjectIsAbsent() {
		assertThatExceptionOfType(OpenDataException.class)
			.isThrownBy(() -> decrypt("{" + NUMBERS + ",\"countryCode\":\"86\",\"watermark\":["
					+ WATERMARK.substring(WATERMARK.indexOf('{')) + "]}"))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.WATERMARK_APPID_MISMATCH));
	}

	private void assertRejected(String json) {
		assertThatExceptionOfType(OpenDataException.class).as(json)
			.isThrownBy(() -> decrypt(json))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.INVALID_PAYLOAD));
	}

	private PhoneNumber decrypt(String json) {
		byte[] iv = new byte[16];
		iv[0] = 42;
		return this.service.decryptPhoneNumber(OPENID, OpenDataEncryption.encrypt(KEY, iv, json),
				Base64.getEncoder().encodeToString(iv));
	}

}
