package io.github.wechatminiapp.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ApiSecurityEnvelopeTests {

	private static final String RESPONSE_AAD = ApiSecurityEnvelope.aad(OfficialApiSecurityExample.URL_PATH,
			OfficialApiSecurityExample.APP_ID, OfficialApiSecurityExample.RESPONSE_TIMESTAMP,
			OfficialApiSecurityExample.SN);

	@Test
	void aadIsTheDocumentedJoin() {
		assertThat(ApiSecurityEnvelope.aad(OfficialApiSecurityExample.URL_PATH, OfficialApiSecurityExample.APP_ID,
				OfficialApiSecurityExample.REQUEST_TIMESTAMP, OfficialApiSecurityExample.SN))
			.isEqualTo(
					"https://api.weixin.qq.com/wxa/getuserriskrank|wxba6223c06417af7b|1635927954|fa05fe1e5bcc79b81ad5ad4b58acf787");
	}

	@Test
	void sealsTheOfficialRequestExampleToTheDocumentedEnvelope() {
		ApiSecurityEnvelope envelope = ApiSecurityEnvelope.seal(OfficialApiSecurityExample.KEY,
				Base64.getDecoder().decode(OfficialApiSecurityExample.REQUEST_IV),
				ApiSecurityEnvelope.aad(OfficialApiSecurityExample.URL_PATH, OfficialApiSecurityExample.APP_ID,
						OfficialApiSecurityExample.REQUEST_TIMESTAMP, OfficialApiSecurityExample.SN),
				OfficialApiSecurityExample.REQUEST_PLAINTEXT.getBytes(StandardCharsets.UTF_8));
		assertThat(envelope).isEqualTo(new ApiSecurityEnvelope(OfficialApiSecurityExample.REQUEST_IV,
				OfficialApiSecurityExample.REQUEST_DATA, OfficialApiSecurityExample.REQUEST_AUTHTAG));
		assertThat(envelope.toJson()).isEqualTo("{\"iv\":\"fmW/zNxXlytUZBgj\",\"data\":\""
				+ OfficialApiSecurityExample.REQUEST_DATA + "\",\"authtag\":\"5qeM/2vZv+6KtScN94IpMg==\"}");
	}

	@Test
	void opensTheOfficialResponseExample() {
		assertThat(OfficialApiSecurityExample.responseEnvelope().open(OfficialApiSecurityExample.KEY, RESPONSE_AAD))
			.hasValueSatisfying((plaintext) -> assertThat(new String(plaintext, StandardCharsets.UTF_8))
				.isEqualTo(OfficialApiSecurityExample.RESPONSE_PLAINTEXT));
	}

	@Test
	void refusesEveryAlteredPartOfTheAdditionalData() {
		ApiSecurityEnvelope envelope = OfficialApiSecurityExample.responseEnvelope();
		assertThat(envelope.open(OfficialApiSecurityExample.KEY,
				ApiSecurityEnvelope.aad(OfficialApiSecurityExample.URL_PATH + "x", OfficialApiSecurityExample.APP_ID,
						OfficialApiSecurityExample.RESPONSE_TIMESTAMP, OfficialApiSecurityExample.SN)))
			.isEmpty();
		assertThat(
				envelope.open(OfficialApiSecurityExample.KEY,
						ApiSecurityEnvelope.aad(OfficialApiSecurityExample.URL_PATH, "wx0123456789abcdef",
								OfficialApiSecurityExample.RESPONSE_TIMESTAMP, OfficialApiSecurityExample.SN)))
			.isEmpty();
		assertThat(
				envelope.open(OfficialApiSecurityExample.KEY,
						ApiSecurityEnvelope.aad(OfficialApiSecurityExample.URL_PATH, OfficialApiSecurityExample.APP_ID,
								OfficialApiSecurityExample.RESPONSE_TIMESTAMP + 1, OfficialApiSecurityExample.SN)))
			.isEmpty();
		assertThat(
				envelope.open(OfficialApiSecurityExample.KEY,
						ApiSecurityEnvelope.aad(OfficialApiSecurityExample.URL_PATH, OfficialApiSecurityExample.APP_ID,
								OfficialApiSecurityExample.RESPONSE_TIMESTAMP, OfficialApiSecurityExample.SN + "0")))
			.isEmpty();
	}

	@Test
	void refusesAlteredCiphertextTagOrNonce() {
		ApiSecurityEnvelope envelope = OfficialApiSecurityExample.responseEnvelope();
		assertThat(new ApiSecurityEnvelope(envelope.iv(), flipFirst(envelope.data()), envelope.authtag())
			.open(OfficialApiSecurityExample.KEY, RESPONSE_AAD)).isEmpty();
		assertThat(new ApiSecurityEnvelope(envelope.iv(), envelope.data(), flipFirst(envelope.authtag()))
			.open(OfficialApiSecurityExample.KEY, RESPONSE_AAD)).isEmpty();
		assertThat(new ApiSecurityEnvelope(flipFirst(envelope.iv()), envelope.data(), envelope.authtag())
			.open(OfficialApiSecurityExample.KEY, RESPONSE_AAD)).isEmpty();
		byte[] otherKey = OfficialApiSecurityExample.KEY.clone();
		otherKey[31] ^= 1;
		assertThat(envelope.open(otherKey, RESPONSE_AAD)).isEmpty();
	}

	@Test
	void refusesMalformedFieldsWithTheSameOutcome() {
		ApiSecurityEnvelope envelope = OfficialApiSecurityExample.responseEnvelope();
		String twelveBytes = envelope.iv();
		String sixteenBytes = envelope.authtag();
		assertThat(new ApiSecurityEnvelope(null, envelope.data(), sixteenBytes).open(OfficialApiSecurityExample.KEY,
				RESPONSE_AAD))
			.isEmpty();
		assertThat(new ApiSecurityEnvelope(twelveBytes, null, sixteenBytes).open(OfficialApiSecurityExample.KEY,
				RESPONSE_AAD))
			.isEmpty();
		assertThat(new ApiSecurityEnvelope(twelveBytes, envelope.data(), null).open(OfficialApiSecurityExample.KEY,
				RESPONSE_AAD))
			.isEmpty();
		assertThat(new ApiSecurityEnvelope(twelveBytes, "%%%%", sixteenBytes).open(OfficialApiSecurityExample.KEY,
				RESPONSE_AAD))
			.isEmpty();
		// 16-byte nonce, 12-byte tag: GCM would accept both lengths, the protocol does
		// not.
		assertThat(new ApiSecurityEnvelope(sixteenBytes, envelope.data(), sixteenBytes)
			.open(OfficialApiSecurityExample.KEY, RESPONSE_AAD)).isEmpty();
		assertThat(new ApiSecurityEnvelope(twelveBytes, envelope.data(), twelveBytes)
			.open(OfficialApiSecurityExample.KEY, RESPONSE_AAD)).isEmpty();
		assertThat(
				new ApiSecurityEnvelope(twelveBytes, "A".repeat(ApiSecurityEnvelope.MAX_DATA_LENGTH + 4), sixteenBytes)
					.open(OfficialApiSecurityExample.KEY, RESPONSE_AAD))
			.isEmpty();
	}

	@Test
	void opensTheLongestAcceptedData() {
		byte[] plaintext = new byte[ApiSecurityEnvelope.MAX_DATA_LENGTH / 4 * 3];
		ApiSecurityEnvelope envelope = ApiSecurityEnvelope.seal(OfficialApiSecurityExample.KEY, RESPONSE_AAD,
				plaintext);
		assertThat(envelope.data()).hasSize(ApiSecurityEnvelope.MAX_DATA_LENGTH);
		assertThat(envelope.open(OfficialApiSecurityExample.KEY, RESPONSE_AAD))
			.hasValueSatisfying((opened) -> assertThat(opened).isEqualTo(plaintext));
	}

	@Test
	void sealsUnderAFreshNonceEachTime() {
		byte[] plaintext = "{}".getBytes(StandardCharsets.UTF_8);
		ApiSecurityEnvelope first = ApiSecurityEnvelope.seal(OfficialApiSecurityExample.KEY, RESPONSE_AAD, plaintext);
		ApiSecurityEnvelope second = ApiSecurityEnvelope.seal(OfficialApiSecurityExample.KEY, RESPONSE_AAD, plaintext);
		assertThat(Base64.getDecoder().decode(first.iv())).hasSize(12);
		assertThat(Base64.getDecoder().decode(first.authtag())).hasSize(16);
		assertThat(first.iv()).isNotEqualTo(second.iv());
		assertThat(first.open(OfficialApiSecurityExample.KEY, RESPONSE_AAD))
			.hasValueSatisfying((opened) -> assertThat(opened).isEqualTo(plaintext));
	}

	@Test
	void refusesAKeyThatIsNot32Bytes() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ApiSecurityEnvelope.seal(new byte[16], "aad", new byte[1]))
			.withMessage("the symmetric key must be 32 bytes");
		assertThatIllegalArgumentException().isThrownBy(() -> ApiSecurityEnvelope.seal(null, "aad", new byte[1]));
		assertThat(OfficialApiSecurityExample.responseEnvelope().open(new byte[16], RESPONSE_AAD)).isEmpty();
	}

	@Test
	void toStringShowsNoCiphertext() {
		ApiSecurityEnvelope envelope = OfficialApiSecurityExample.responseEnvelope();
		assertThat(envelope.toString()).doesNotContain(envelope.data())
			.doesNotContain(envelope.authtag())
			.contains("(" + envelope.data().length() + " characters)");
		assertThat(new ApiSecurityEnvelope("a", null, "b").toString()).contains("(0 characters)");
	}

	private static String flipFirst(String base64) {
		byte[] bytes = Base64.getDecoder().decode(base64);
		bytes[0] ^= 1;
		return Base64.getEncoder().encodeToString(bytes);
	}

}
