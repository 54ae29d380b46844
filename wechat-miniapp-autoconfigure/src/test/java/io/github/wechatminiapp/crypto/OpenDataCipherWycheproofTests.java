package io.github.wechatminiapp.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Runs every AES-128 vector of Wycheproof's AES-CBC-PKCS5 suite (Apache-2.0, see
 * wycheproof/LICENSE) through {@link OpenDataCipher}.
 */
class OpenDataCipherWycheproofTests {

	private static final HexFormat HEX = HexFormat.of();

	static List<Arguments> vectors(String result) throws IOException {
		JsonNode suite;
		try (InputStream in = OpenDataCipherWycheproofTests.class
			.getResourceAsStream("/wycheproof/aes_cbc_pkcs5_test.json")) {
			suite = JsonMapper.builder().build().readTree(in);
		}
		List<Arguments> vectors = new ArrayList<>();
		for (JsonNode group : suite.get("testGroups")) {
			if (group.get("keySize").asInt() != 128) {
				continue;
			}
			for (JsonNode test : group.get("tests")) {
				if (test.get("result").asString().equals(result)) {
					vectors.add(Arguments.of(test.get("tcId").asInt(), test.get("comment").asString(),
							HEX.parseHex(test.get("key").asString()), HEX.parseHex(test.get("iv").asString()),
							HEX.parseHex(test.get("ct").asString()), HEX.parseHex(test.get("msg").asString())));
				}
			}
		}
		return vectors;
	}

	static List<Arguments> validVectors() throws IOException {
		return vectors("valid");
	}

	static List<Arguments> invalidVectors() throws IOException {
		return vectors("invalid");
	}

	@Test
	void suiteHas24ValidAnd48InvalidAes128Vectors() throws IOException {
		assertThat(validVectors()).hasSize(24);
		assertThat(invalidVectors()).hasSize(48);
	}

	@ParameterizedTest(name = "tcId {0}: {1}")
	@MethodSource("validVectors")
	void validVectorDecryptsToItsMessage(int tcId, String comment, byte[] key, byte[] iv, byte[] ct, byte[] msg) {
		assertThat(OpenDataCipher.decryptBytes(key, iv, ct)).isEqualTo(msg);
	}

	@ParameterizedTest(name = "tcId {0}: {1}")
	@MethodSource("validVectors")
	void validVectorDecryptsThroughBase64(int tcId, String comment, byte[] key, byte[] iv, byte[] ct, byte[] msg) {
		java.util.Base64.Encoder base64 = java.util.Base64.getEncoder();
		assertThat(OpenDataCipher.decrypt(base64.encodeToString(key), base64.encodeToString(ct),
				base64.encodeToString(iv)))
			.isEqualTo(msg);
	}

	@ParameterizedTest(name = "tcId {0}: {1}")
	@MethodSource("invalidVectors")
	void invalidVectorIsRejectedWithTheUniformMessage(int tcId, String comment, byte[] key, byte[] iv, byte[] ct,
			byte[] msg) {
		assertThatExceptionOfType(OpenDataException.class).isThrownBy(() -> OpenDataCipher.decryptBytes(key, iv, ct))
			.withMessage(OpenDataException.MESSAGE)
			.satisfies((ex) -> assertThat(ex.reason()).isIn(OpenDataException.Reason.BAD_PADDING,
					OpenDataException.Reason.ILLEGAL_BUFFER));
	}

	static Stream<Arguments> paddings() {
		return Stream.of(Arguments.of(1, true), Arguments.of(16, true), Arguments.of(0, false), Arguments.of(17, false),
				Arguments.of(255, false));
	}

	@ParameterizedTest
	@MethodSource("paddings")
	void paddingLengthAcceptsOnly1To16(int last, boolean valid) {
		byte[] block = new byte[32];
		java.util.Arrays.fill(block, 16, 32, (byte) last);
		assertThat(OpenDataCipher.paddingLength(block)).isEqualTo(valid ? last : -1);
	}

	@Test
	void paddingWithOneWrongByteIsRejectedWherever() {
		for (int wrong = 0; wrong < 8; wrong++) {
			byte[] block = new byte[16];
			java.util.Arrays.fill(block, 8, 16, (byte) 8);
			block[8 + wrong] = 7;
			assertThat(OpenDataCipher.paddingLength(block)).as("wrong byte at %d", wrong).isEqualTo(-1);
		}
	}

}
