package io.github.wechatminiapp.benchmarks;

import java.nio.charset.StandardCharsets;

import io.github.wechatminiapp.opendata.WeRunData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every benchmark method decodes its whole payload, so the figures compare real work.
 */
class DecryptOpenDataBenchmarkTests {

	private final DecryptOpenDataBenchmark benchmark = new DecryptOpenDataBenchmark();

	@BeforeEach
	void setUp() throws Exception {
		this.benchmark.setUp();
	}

	@Test
	void weRunDecodesThirtyOneDays() {
		WeRunData weRun = this.benchmark.weRun();
		assertThat(weRun.stepInfoList()).hasSize(31);
		assertThat(weRun.stepInfoList().get(30).step()).isEqualTo(1000);
		assertThat(weRun.stepInfoList().get(0).step()).isEqualTo(1000 + 317 * 30);
		assertThat(weRun.stepInfoList().get(30).timestamp() - weRun.stepInfoList().get(29).timestamp())
			.isEqualTo(86_400L);
		assertThat(this.benchmark.weRun.plaintextBytes).isGreaterThan(1000);
	}

	@Test
	void theFloorsDecryptTheSamePayloadsWithTheirPadding() throws Exception {
		String phone = new String(this.benchmark.phoneNumberFloor(), StandardCharsets.UTF_8);
		assertThat(phone).startsWith("{\"phoneNumber\":\"13800138000\"");
		String weRun = new String(this.benchmark.weRunFloor(), StandardCharsets.UTF_8);
		assertThat(weRun).startsWith("{\"stepInfoList\":[{\"timestamp\":");
		assertThat(weRun.length() - this.benchmark.weRun.plaintextBytes).isBetween(1, 16);
		assertThat(phone.length() - this.benchmark.phone.plaintextBytes).isBetween(1, 16);
	}

	@Test
	void phoneNumberAndShareInfoDecode() {
		assertThat(this.benchmark.phoneNumber().purePhoneNumber()).isEqualTo("13800138000");
		assertThat(this.benchmark.shareInfo().openGId()).isEqualTo("tGABCDEFGHIJKLMNOPQRSTUVWXYZ");
	}

}
