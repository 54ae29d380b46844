package io.github.wechatminiapp.benchmarks;

import java.nio.charset.StandardCharsets;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.crypto.OpenDataCipher;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each payload of {@link DecryptionFailureBenchmark} takes the failure path its name
 * says.
 */
class DecryptionFailureBenchmarkTests {

	private final DecryptionFailureBenchmark benchmark = new DecryptionFailureBenchmark();

	@BeforeEach
	void setUp() throws Exception {
		this.benchmark.setUp();
	}

	@Test
	void badPaddingIsBadPadding() {
		assertThatExceptionOfType(OpenDataException.class)
			.isThrownBy(
					() -> OpenDataCipher.decrypt(this.benchmark.key, this.benchmark.block, this.benchmark.badPaddingIv))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.BAD_PADDING));
		assertThat(this.benchmark.badPadding()).isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
	}

	@Test
	void theOthersHaveValidPaddingAndTheNamedPlaintext() {
		byte[] garbage = OpenDataCipher.decrypt(this.benchmark.key, this.benchmark.block, this.benchmark.garbageIv);
		assertThat(garbage).hasSize(15);
		assertThat(garbage[0]).isNotEqualTo((byte) '{');
		assertThat(this.benchmark.validPaddingNotJson()).isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
		byte[] brace = OpenDataCipher.decrypt(this.benchmark.key, this.benchmark.block, this.benchmark.braceGarbageIv);
		assertThat(brace).hasSize(15);
		assertThat(brace[0]).isEqualTo((byte) '{');
		assertThat(this.benchmark.validPaddingBrokenJson())
			.isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
		byte[] empty = OpenDataCipher.decrypt(this.benchmark.key, this.benchmark.block, this.benchmark.emptyObjectIv);
		assertThat(new String(empty, StandardCharsets.US_ASCII)).isEqualTo("{}             ");
		assertThat(this.benchmark.validPaddingNoWatermark()).isEqualTo(Reason.WATERMARK_APPID_MISMATCH);
	}

}
