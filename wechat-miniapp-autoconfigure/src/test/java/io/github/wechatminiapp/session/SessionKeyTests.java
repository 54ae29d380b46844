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
			assertThatExceptionOfType(OpenDataException.class).as("%s", bad).isThrownBy(() -> SessionKey.ofBase64(bad))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(OpenDataException.Reason.ILLEGAL_AES_KEY));
		}
		assertThatExceptionOfType(OpenDataException.class).isThrownBy(() -> SessionKey.ofBytes(new byte[15]));
	}

}
