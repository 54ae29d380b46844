package io.github.wechatminiapp.crypto;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Sha256Tests {

	@Test
	void digestsFipsTestVectors() {
		// FIPS 180-2, appendix B.1, and the empty message.
		assertThat(HexFormat.of().formatHex(Sha256.digest("abc".getBytes(StandardCharsets.US_ASCII))))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		assertThat(HexFormat.of().formatHex(Sha256.digest()))
			.isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	}

	@Test
	void digestsThePartsOneAfterAnother() {
		byte[] whole = Sha256.digest("wechat-miniapp:session-key:0123".getBytes(StandardCharsets.US_ASCII));
		byte[] parts = Sha256.digest("wechat-miniapp:session-key:".getBytes(StandardCharsets.US_ASCII),
				"0123".getBytes(StandardCharsets.US_ASCII));
		assertThat(parts).isEqualTo(whole).hasSize(32);
	}

}
