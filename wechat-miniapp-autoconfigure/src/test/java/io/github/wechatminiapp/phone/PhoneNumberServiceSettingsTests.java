package io.github.wechatminiapp.phone;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.Watermark;
import io.github.wechatminiapp.opendata.FailureBudgetListener;
import io.github.wechatminiapp.opendata.OpenDataRejectionListener;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.testsupport.OfflineClients;
import io.github.wechatminiapp.testsupport.OpenDataEncryption;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A service built from its required collaborators alone has the documented defaults, and
 * each setter changes what it names and nothing else.
 */
class PhoneNumberServiceSettingsTests {

	private static final String APP_ID = "wx0123456789abcdef";

	private static final String OPENID = "o-settings";

	private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] OTHER_KEY = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

	private static final PhoneNumber PHONE = new PhoneNumber("13800138000", "13800138000", "86");

	private final CaffeineSessionKeyRepository sessionKeys = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);

	// Decryption never calls WeChat: an offline client and no access tokens prove it.
	private final WeChatMiniAppClient client = OfflineClients.client(APP_ID);

	private final PhoneNumberService service = new PhoneNumberService(this.client, this.sessionKeys,
			OfflineClients.NO_ACCESS_TOKENS);

	PhoneNumberServiceSettingsTests() {
		this.sessionKeys.save(OPENID, SessionKey.ofBytes(KEY));
	}

	@Test
	void byDefaultAWatermarkIsAcceptedUpToFiveMinutesOldOnTheSystemClock() {
		assertThat(Watermark.DEFAULT_MAX_AGE).isEqualTo(Duration.ofMinutes(5));
		assertThat(decrypt(Instant.now().minusSeconds(270))).isEqualTo(PHONE);
		assertRejected(Instant.now().minusSeconds(330));
	}

	@Test
	void theWatermarkMaxAgeIsSettableAndZeroTurnsTheAgeCheckOff() {
		this.service.setWatermarkMaxAge(Duration.ofMinutes(10));
		assertThat(decrypt(Instant.now().minusSeconds(540))).isEqualTo(PHONE);
		assertRejected(Instant.now().minusSeconds(660));
		this.service.setWatermarkMaxAge(Duration.ZERO);
		assertThat(decrypt(Instant.EPOCH)).isEqualTo(PHONE);
	}

	@Test
	void watermarksAreReadAgainstTheClockSet() {
		Instant then = Instant.parse("2025-03-01T08:00:00Z");
		this.service.setClock(Clock.fixed(then, ZoneOffset.UTC));
		assertThat(decrypt(then.minusSeconds(60))).isEqualTo(PHONE);
		assertRejected(Instant.now());
	}

	@Test
	void byDefaultTheFifthRejectionDropsTheKeys() {
		for (int i = 1; i < 5; i++) {
			assertThatExceptionOfType(LoginRequiredException.class).isThrownBy(this::decryptUnderAnotherKey)
				.satisfies(
						(ex) -> assertThat(ex.reason()).isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY));
		}
		assertThatExceptionOfType(LoginRequiredException.class).isThrownBy(this::decryptUnderAnotherKey)
			.satisfies(
					(ex) -> assertThat(ex.reason()).isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED));
		assertThat(this.sessionKeys.find(OPENID)).isEmpty();
	}

	@Test
	void theBudgetSetStaysWhenTheListenerIsSetAfterIt() {
		List<String> exhausted = new ArrayList<>();
		this.service.setFailureBudget(2);
		this.service.setFailureBudgetListener((appId) -> exhausted.add(appId));
		assertThatExceptionOfType(LoginRequiredException.class).isThrownBy(this::decryptUnderAnotherKey);
		assertThat(exhausted).isEmpty();
		assertThatExceptionOfType(LoginRequiredException.class).isThrownBy(this::decryptUnderAnotherKey)
			.satisfies(
					(ex) -> assertThat(ex.reason()).isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED));
		assertThat(exhausted).containsExactly(APP_ID);
	}

	@Test
	void aBudgetBelowOneIsRefusedAndTheBudgetBeforeItStays() {
		this.service.setFailureBudget(1);
		assertThatIllegalArgumentException().isThrownBy(() -> this.service.setFailureBudget(0));
		this.service.setFailureBudgetListener(FailureBudgetListener.NONE);
		assertThatExceptionOfType(LoginRequiredException.class).isThrownBy(this::decryptUnderAnotherKey)
			.satisfies(
					(ex) -> assertThat(ex.reason()).isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED));
	}

	@Test
	void theRejectionListenerSetIsToldTheReason() {
		List<OpenDataException.Reason> reasons = new ArrayList<>();
		this.service.setRejectionListener(new OpenDataRejectionListener() {

			@Override
			public void rejected(OpenDataException.Reason reason) {
				reasons.add(reason);
			}

		});
		assertRejected(Instant.EPOCH);
		assertThat(reasons).containsExactly(OpenDataException.Reason.WATERMARK_EXPIRED);
	}

	@Test
	void nullIsRefusedEverywhere() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PhoneNumberService(null, this.sessionKeys, OfflineClients.NO_ACCESS_TOKENS))
			.withMessage("client must not be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PhoneNumberService(this.client, null, OfflineClients.NO_ACCESS_TOKENS))
			.withMessage("sessionKeys must not be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PhoneNumberService(this.client, this.sessionKeys, null))
			.withMessage("accessTokens must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.service.setWatermarkMaxAge(null))
			.withMessage("watermarkMaxAge must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.service.setClock(null))
			.withMessage("clock must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.service.setRejectionListener(null))
			.withMessage("rejectionListener must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.service.setFailureBudgetListener(null))
			.withMessage("failureBudgetListener must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.service.setSessionKeyResetListener(null))
			.withMessage("sessionKeyResetListener must not be null");
		// Still working as before.
		assertThat(decrypt(Instant.now())).isEqualTo(PHONE);
	}

	private PhoneNumber decrypt(Instant watermark) {
		byte[] iv = new byte[16];
		return this.service.decryptPhoneNumber(OPENID, OpenDataEncryption.encrypt(KEY, iv, json(watermark)),
				Base64.getEncoder().encodeToString(iv));
	}

	private void assertRejected(Instant watermark) {
		assertThatExceptionOfType(OpenDataException.class).isThrownBy(() -> decrypt(watermark))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(OpenDataException.Reason.WATERMARK_EXPIRED));
	}

	private void decryptUnderAnotherKey() {
		byte[] iv = new byte[16];
		this.service.decryptPhoneNumber(OPENID, OpenDataEncryption.encrypt(OTHER_KEY, iv, json(Instant.now())),
				Base64.getEncoder().encodeToString(iv));
	}

	private static String json(Instant watermark) {
		return "{\"phoneNumber\":\"13800138000\",\"purePhoneNumber\":\"13800138000\",\"countryCode\":\"86\","
				+ "\"watermark\":{\"timestamp\":" + watermark.getEpochSecond() + ",\"appid\":\"" + APP_ID + "\"}}";
	}

}
