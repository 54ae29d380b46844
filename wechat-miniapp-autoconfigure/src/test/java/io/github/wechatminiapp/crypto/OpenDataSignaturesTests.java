package io.github.wechatminiapp.crypto;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenDataSignaturesTests {

	@Test
	void rawDataSignatureIsSha1OfRawDataAndSessionKey() {
		String rawData = "{\"a\":1}";
		String key = "HyVFkGl5F5OQWJZZaNzBBg==";
		// printf '%s' '{"a":1}HyVFkGl5F5OQWJZZaNzBBg==' | sha1sum
		String expected = "8214363cead9ec4d0109ba760e7f4d4a617d214c";
		assertThat(OpenDataSignatures.isRawDataSignatureValid(rawData, key, expected)).isTrue();
		assertThat(OpenDataSignatures.isRawDataSignatureValid(rawData, key, expected.toUpperCase())).isTrue();
		assertThat(OpenDataSignatures.isRawDataSignatureValid(rawData + " ", key, expected)).isFalse();
		assertThat(OpenDataSignatures.isRawDataSignatureValid(rawData, key, expected.substring(1))).isFalse();
		assertThat(OpenDataSignatures.isRawDataSignatureValid(rawData, key, null)).isFalse();
	}

	@Test
	void sessionKeySignatureIsHmacSha256OfEmptyMessageKeyedWithTheBase64Text() {
		// printf '' | openssl dgst -sha256 -hmac 'tiihtNczf5v6AKRyjwEUhQ=='
		assertThat(OpenDataSignatures.sessionKeySignature("tiihtNczf5v6AKRyjwEUhQ=="))
			.isEqualTo("7154f9f8b4b76b92f541cbf0e37d48840fa06e5e42da92a6f80168a1516a4735");
	}

}
