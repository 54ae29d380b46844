package io.github.wechatminiapp.benchmarks;

import cn.binarywang.wx.miniapp.bean.WxMaPhoneNumberInfo;
import io.github.wechatminiapp.phone.PhoneNumber;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both benchmark methods decode the same payload to the same phone number, so they
 * measure the same work.
 */
class DecryptPhoneNumberBenchmarkTests {

	private final DecryptPhoneNumberBenchmark benchmark = new DecryptPhoneNumberBenchmark();

	@BeforeEach
	void setUp() throws Exception {
		this.benchmark.setUp();
	}

	@Test
	void starterDecodesThePayload() {
		PhoneNumber phoneNumber = this.benchmark.starter();
		assertThat(phoneNumber.purePhoneNumber()).isEqualTo("13800138000");
		assertThat(phoneNumber.phoneNumber()).isEqualTo("13800138000");
		assertThat(phoneNumber.countryCode()).isEqualTo("86");
	}

	@Test
	void theFloorDecryptsThePaddedPayload() throws Exception {
		String padded = new String(this.benchmark.floor(), java.nio.charset.StandardCharsets.UTF_8);
		assertThat(padded).startsWith("{\"phoneNumber\":\"13800138000\"");
		assertThat(padded.charAt(padded.length() - 1)).isLessThanOrEqualTo((char) 16);
	}

	@Test
	void theStoreAloneReservesAndGivesBackASlot() {
		// Each call reserves the first slot: the one before it was given back.
		assertThat(this.benchmark.storeAlone()).isEqualTo(1);
		assertThat(this.benchmark.storeAlone()).isEqualTo(1);
		assertThat(this.benchmark.starter().purePhoneNumber()).isEqualTo("13800138000");
	}

	@Test
	void wxJavaDecodesThePayload() {
		WxMaPhoneNumberInfo info = this.benchmark.wxJava();
		assertThat(info.getPurePhoneNumber()).isEqualTo("13800138000");
		assertThat(info.getPhoneNumber()).isEqualTo("13800138000");
		assertThat(info.getCountryCode()).isEqualTo("86");
		assertThat(info.getWatermark().getAppid()).isEqualTo(DecryptPhoneNumberBenchmark.APP_ID);
	}

	@Test
	void bothDecodeTheSamePayloadToTheSameNumber() {
		assertThat(this.benchmark.starter().purePhoneNumber()).isEqualTo(this.benchmark.wxJava().getPurePhoneNumber())
			.isEqualTo("13800138000");
	}

	@Test
	void previousKeyPathDecodesThroughTheFallback() {
		assertThat(this.benchmark.starterPreviousKey().purePhoneNumber()).isEqualTo("13800138000");
	}

	@Test
	void manyUsersPathsDecodeEveryUsersPayload() {
		DecryptPhoneNumberBenchmark.Cursor starterCursor = new DecryptPhoneNumberBenchmark.Cursor();
		DecryptPhoneNumberBenchmark.Cursor wxJavaCursor = new DecryptPhoneNumberBenchmark.Cursor();
		for (int i = 0; i < 2 * DecryptPhoneNumberBenchmark.MANY_USERS; i++) {
			assertThat(this.benchmark.starterManyUsers(starterCursor).purePhoneNumber()).isEqualTo("13800138000");
			assertThat(this.benchmark.wxJavaManyUsers(wxJavaCursor).getPurePhoneNumber()).isEqualTo("13800138000");
		}
	}

	@Test
	void repeatedCallsKeepWorking() {
		for (int i = 0; i < 1_000; i++) {
			assertThat(this.benchmark.starter().purePhoneNumber()).isEqualTo("13800138000");
			assertThat(this.benchmark.wxJava().getPurePhoneNumber()).isEqualTo("13800138000");
		}
	}

}
