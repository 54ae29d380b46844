package io.github.wechatminiapp.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AtRestCipherTests {

	private static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

	private static final byte[] SECRET = "the secret".getBytes(StandardCharsets.UTF_8);

	private final AtRestCipher cipher = new AtRestCipher(KEY);

	@Test
	void roundTripsForTheSameRecordOnly() {
		String stored = this.cipher.encrypt(SECRET, "record-1");
		assertThat(this.cipher.decrypt(stored, "record-1")).isEqualTo(SECRET);
		assertThat(SECRET).asString(StandardCharsets.UTF_8).isEqualTo("the secret");
		assertThatIllegalArgumentException().isThrownBy(() -> this.cipher.decrypt(stored, "record-2"))
			.withMessage("Stored value could not be decrypted");
		assertThatIllegalArgumentException().isThrownBy(
				() -> new AtRestCipher("ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=").decrypt(stored, "record-1"));
	}

	@Test
	void storesNonceCiphertextAndTagAsBase64AndNeverTheSameTwice() {
		String stored = this.cipher.encrypt(SECRET, "record-1");
		assertThat(Base64.getDecoder().decode(stored)).hasSize(12 + SECRET.length + 16);
		assertThat(this.cipher.encrypt(SECRET, "record-1")).isNotEqualTo(stored);
		assertThat(stored).doesNotContain(Base64.getEncoder().encodeToString(SECRET));
	}

	@Test
	void readsTheFormatStoredBefore() throws Exception {
		// What SessionKeyEncryption stored: Base64(nonce 12 | AES-GCM ciphertext |
		// 128-bit tag), AAD = record name.
		byte[] nonce = new byte[12];
		nonce[0] = 7;
		javax.crypto.Cipher gcm = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
		gcm.init(javax.crypto.Cipher.ENCRYPT_MODE,
				new javax.crypto.spec.SecretKeySpec(Base64.getDecoder().decode(KEY), "AES"),
				new javax.crypto.spec.GCMParameterSpec(128, nonce));
		gcm.updateAAD("r".getBytes(StandardCharsets.UTF_8));
		byte[] sealed = gcm.doFinal(new byte[] { 1, 2, 3 });
		byte[] stored = new byte[12 + sealed.length];
		System.arraycopy(nonce, 0, stored, 0, 12);
		System.arraycopy(sealed, 0, stored, 12, sealed.length);
		assertThat(this.cipher.decrypt(Base64.getEncoder().encodeToString(stored), "r")).containsExactly(1, 2, 3);
		stored[stored.length - 1] ^= 1;
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.cipher.decrypt(Base64.getEncoder().encodeToString(stored), "r"));
	}

	@Test
	void refusesMalformedValuesWithoutShowingThem() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.cipher.decrypt("not base64!", "r"))
			.withMessage("Stored value could not be decrypted");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.cipher.decrypt(Base64.getEncoder().encodeToString(new byte[12]), "r"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.cipher.decrypt(Base64.getEncoder().encodeToString(new byte[13]), "r"));
	}

	@Test
	void acceptsOnlyAesKeysAndNeverShowsThem() {
		assertThat(new AtRestCipher(Base64.getEncoder().encodeToString(new byte[16]))).isNotNull();
		assertThat(new AtRestCipher(" " + Base64.getEncoder().encodeToString(new byte[24]) + "\n")).isNotNull();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AtRestCipher(Base64.getEncoder().encodeToString(new byte[15])))
			.withMessage("The encryption key must be 16, 24 or 32 bytes");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AtRestCipher(Base64.getEncoder().encodeToString(new byte[33])));
		assertThatIllegalArgumentException().isThrownBy(() -> new AtRestCipher("secret!!"))
			.withMessage("The encryption key is not valid Base64");
	}

}
