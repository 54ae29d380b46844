package io.github.wechatminiapp.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class OpenDataCipherTests {

	// WeChat's published test vector, from its official WXBizDataCrypt samples.
	private static final String OFFICIAL_SESSION_KEY = "tiihtNczf5v6AKRyjwEUhQ==";

	private static final String OFFICIAL_IV = "r7BXXKkLb8qrSNn05n0qiA==";

	private static final String OFFICIAL_ENCRYPTED_DATA = "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZM"
			+ "QmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142d"
			+ "NCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXw"
			+ "u0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4P"
			+ "C7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFd"
			+ "lqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuy"
			+ "Db/XcxxmK01EpqOyuxINew==";

	private static final String KEY = Base64.getEncoder().encodeToString(new byte[16]);

	private static final String IV = Base64.getEncoder().encodeToString(new byte[16]);

	@Test
	void decryptsWeChatsOfficialSample() {
		String plaintext = new String(
				OpenDataCipher.decrypt(OFFICIAL_SESSION_KEY, OFFICIAL_ENCRYPTED_DATA, OFFICIAL_IV),
				StandardCharsets.UTF_8);
		assertThat(plaintext).startsWith("{\"openId\":\"oGZUI0egBJY1zhBYw2KhdUfwVJJE\"")
			.contains("\"watermark\":{\"timestamp\":1477314187,\"appid\":\"wx4f4bc4dec97d474b\"}");
	}

	@Test
	void officialSampleWithAnotherSessionKeyFailsUniformly() {
		assertReason(() -> OpenDataCipher.decrypt("HyVFkGl5F5OQWJZZaNzBBg==", OFFICIAL_ENCRYPTED_DATA, OFFICIAL_IV),
				Reason.BAD_PADDING);
	}

	@Test
	void roundTripsWithJdkEncryption() throws Exception {
		byte[] key = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
		byte[] iv = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
		Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
		cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
		byte[] ct = cipher.doFinal("{\"purePhoneNumber\":\"13800138000\"}".getBytes(StandardCharsets.UTF_8));
		Base64.Encoder b64 = Base64.getEncoder();
		assertThat(new String(
				OpenDataCipher.decrypt(b64.encodeToString(key), b64.encodeToString(ct), b64.encodeToString(iv)),
				StandardCharsets.UTF_8))
			.isEqualTo("{\"purePhoneNumber\":\"13800138000\"}");
	}

	@Test
	void keyThatIsNot24Base64CharactersIsIllegalAesKey() {
		assertReason(() -> OpenDataCipher.decrypt("AAAA", "AAAAAAAAAAAAAAAAAAAAAA==", IV), Reason.ILLEGAL_AES_KEY);
		assertReason(() -> OpenDataCipher.decrypt((String) null, "AAAAAAAAAAAAAAAAAAAAAA==", IV),
				Reason.ILLEGAL_AES_KEY);
		// 24 characters without padding decode to 18 bytes.
		assertReason(() -> OpenDataCipher.decrypt("AAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAA==", IV),
				Reason.ILLEGAL_AES_KEY);
		assertReason(() -> OpenDataCipher.decrypt("AAAAAAAAAAAAAAAAAAAAA!==", "AAAAAAAAAAAAAAAAAAAAAA==", IV),
				Reason.DECODE_BASE64_ERROR);
	}

	@Test
	void secretKeyVariantAcceptsOnly16ByteAesKeys() {
		javax.crypto.SecretKey aes256 = new SecretKeySpec(new byte[32], "AES");
		javax.crypto.SecretKey notAes = new SecretKeySpec(new byte[16], "HmacSHA256");
		assertReason(() -> OpenDataCipher.decrypt(aes256, "AAAAAAAAAAAAAAAAAAAAAA==", IV), Reason.ILLEGAL_AES_KEY);
		assertReason(() -> OpenDataCipher.decrypt(notAes, "AAAAAAAAAAAAAAAAAAAAAA==", IV), Reason.ILLEGAL_AES_KEY);
		assertReason(() -> OpenDataCipher.decrypt((javax.crypto.SecretKey) null, "AAAAAAAAAAAAAAAAAAAAAA==", IV),
				Reason.ILLEGAL_AES_KEY);
		assertThat(new String(
				OpenDataCipher.decrypt(new SecretKeySpec(Base64.getDecoder().decode(OFFICIAL_SESSION_KEY), "AES"),
						OFFICIAL_ENCRYPTED_DATA, OFFICIAL_IV),
				StandardCharsets.UTF_8))
			.contains("wx4f4bc4dec97d474b");
	}

	@Test
	void ivThatIsNot16BytesIsIllegalIv() {
		assertReason(() -> OpenDataCipher.decrypt(KEY, "AAAAAAAAAAAAAAAAAAAAAA==", "AAAA"), Reason.ILLEGAL_IV);
		assertReason(() -> OpenDataCipher.decrypt(KEY, "AAAAAAAAAAAAAAAAAAAAAA==", null), Reason.ILLEGAL_IV);
	}

	@Test
	void ciphertextThatIsEmptyPartialOrHugeIsIllegalBuffer() {
		assertReason(() -> OpenDataCipher.decrypt(KEY, "", IV), Reason.ILLEGAL_BUFFER);
		assertReason(() -> OpenDataCipher.decrypt(KEY, null, IV), Reason.ILLEGAL_BUFFER);
		assertReason(() -> OpenDataCipher.decrypt(KEY, "AAAAAAAAAAA=", IV), Reason.ILLEGAL_BUFFER);
		String huge = "A".repeat(OpenDataCipher.MAX_ENCRYPTED_DATA_LENGTH + 4);
		assertReason(() -> OpenDataCipher.decrypt(KEY, huge, IV), Reason.ILLEGAL_BUFFER);
	}

	@Test
	void nonBase64CiphertextIsDecodeError() {
		assertReason(() -> OpenDataCipher.decrypt(KEY, "not base64 at all!", IV), Reason.DECODE_BASE64_ERROR);
	}

	@Test
	void repairsSpacesLineBreaksAndTheUrlSafeAlphabet() {
		assertThat(OpenDataCipher.repairBase64("ab+/cd==")).isEqualTo("ab+/cd==");
		assertThat(OpenDataCipher.repairBase64("ab /cd==")).isEqualTo("ab+/cd==");
		assertThat(OpenDataCipher.repairBase64("ab-_cd==")).isEqualTo("ab+/cd==");
		assertThat(OpenDataCipher.repairBase64("ab+/\r\ncd\n==")).isEqualTo("ab+/cd==");
		assertThat(OpenDataCipher.repairBase64(null)).isNull();
		String clean = "ab+/cd==";
		assertThat(OpenDataCipher.repairBase64(clean)).isSameAs(clean);
	}

	@Test
	void repairedInputDecrypts() throws Exception {
		byte[] key = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
		Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
		// This iv and message give Base64 with both '+' and '/'.
		byte[] iv = new byte[] { -5, -1, 62, 63, -5, -1, 62, 63, -5, -1, 62, 63, -5, -1, 62, 63 };
		cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
		byte[] ct = cipher.doFinal("{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_8));
		String ivText = Base64.getEncoder().encodeToString(iv);
		assertThat(ivText).contains("+", "/");
		String keyText = Base64.getEncoder().encodeToString(key);
		String ctText = Base64.getEncoder().encodeToString(ct);
		assertThat(
				OpenDataCipher.decrypt(keyText, ctText.replace('+', ' '), ivText.replace('+', '-').replace('/', '_')))
			.isEqualTo("{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void everythingElseThatIsNotBase64IsStillRejected() {
		for (String bad : new String[] { "AAAA%2BAAAAAAAAAAAAAAAAA", "AAAA*AAA", "AAAA\tAAAAAAAAAAAAAAAAAAA=",
				"ＡＡＡＡ" }) {
			assertReason(() -> OpenDataCipher.decrypt(KEY, bad, IV), Reason.DECODE_BASE64_ERROR, Reason.ILLEGAL_BUFFER);
		}
	}

	@Test
	void reasonsMirrorTheOfficialErrorCodes() {
		assertThat(Reason.ILLEGAL_AES_KEY.officialCode()).isEqualTo(-41001);
		assertThat(Reason.ILLEGAL_IV.officialCode()).isEqualTo(-41002);
		assertThat(Reason.ILLEGAL_BUFFER.officialCode()).isEqualTo(-41003);
		assertThat(Reason.WATERMARK_APPID_MISMATCH.officialCode()).isEqualTo(-41003);
		assertThat(Reason.DECODE_BASE64_ERROR.officialCode()).isEqualTo(-41004);
	}

	private static void assertReason(Runnable decryption, Reason... reasons) {
		assertThatExceptionOfType(OpenDataException.class).isThrownBy(decryption::run)
			.withMessage(OpenDataException.MESSAGE)
			.satisfies((ex) -> assertThat(ex.reason()).isIn((Object[]) reasons));
	}

}
