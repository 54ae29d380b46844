package io.github.wechatminiapp.session;

import io.github.wechatminiapp.crypto.OpenDataException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SessionKeyTests {

	private static final String KEY = "tiihtNczf5v6AKRyjwEUhQ==";

	@Test
	void roundTripsBase64AndComparesBytes() {
		SessionKey key = SessionKey.ofBase64(KEY);
		assertThat(key.toBase64()).isEqualTo(KEY);
		assertThat(key.bytes()).hasSize(16);
		assertThat(key).isEqualTo(SessionKey.ofBytes(key.bytes())).hasSameHashCodeAs(SessionKey.ofBytes(key.bytes()));
		assertThat(key).isNotEqualTo(SessionKey.ofBase64("HyVFkGl5F5OQWJZZaNzBBg=="));
	}

	@Test
	void differentKeysSpreadOverHashBuckets() {
		java.util.Set<Integer> hashCodes = new java.util.HashSet<>();
		for (int i = 0; i < 16; i++) {
			byte[] bytes = new byte[16];
			bytes[i] = 1;
			hashCodes.add(SessionKey.ofBytes(bytes).hashCode());
		}
		assertThat(hashCodes).hasSize(16);
	}

	@Test
	void keptAsTwoNumbersBigEndianAndRebuiltFromThem() {
		byte[] bytes = new byte[16];
		for (int i = 0; i < 16; i++) {
			bytes[i] = (byte) (0xF0 + i);
		}
		SessionKey key = SessionKey.ofBytes(bytes);
		assertThat(key.high()).isEqualTo(0xF0F1F2F3F4F5F6F7L);
		assertThat(key.low()).isEqualTo(0xF8F9FAFBFCFDFEFFL);
		assertThat(SessionKey.ofLongs(key.high(), key.low())).isEqualTo(key);
		assertThat(SessionKey.ofLongs(key.high(), key.low()).bytes()).containsExactly(bytes);
		assertThat(SessionKey.ofLongs(0x0102030405060708L, 0x090A0B0C0D0E0F10L).bytes()).containsExactly(1, 2, 3, 4, 5,
				6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
		SessionKey known = SessionKey.ofBase64(KEY);
		assertThat(SessionKey.ofLongs(known.high(), known.low()).toBase64()).isEqualTo(KEY);
		assertThat(SessionKey.ofLongs(known.high(), known.low()).aesKey().getEncoded()).containsExactly(known.bytes());
	}

	@Test
	void toStringNeverShowsTheKey() {
		SessionKey key = SessionKey.ofBase64(KEY);
		assertThat(key.toString()).doesNotContain(KEY).doesNotContain("tiih").isEqualTo("SessionKey[******]");
	}

	@Test
	void bytesAreDefensiveCopies() {
		SessionKey key = SessionKey.ofBase64(KEY);
		key.bytes()[0] ^= 1;
		assertThat(key.toBase64()).isEqualTo(KEY);
	}

	@Test
	void malformedKeysAreRejected() {
		for (String bad : new String[] { null, "", "AAAA", "AAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAA*==" }) {
			assertThatExceptionOfType(OpenDataException.class).as("%s", bad)
				.isThrownBy(() -> SessionKey.ofBase64(bad))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(OpenDataException.Reason.ILLEGAL_AES_KEY));
		}
		assertThatExceptionOfType(OpenDataException.class).isThrownBy(() -> SessionKey.ofBytes(new byte[15]));
	}

}
