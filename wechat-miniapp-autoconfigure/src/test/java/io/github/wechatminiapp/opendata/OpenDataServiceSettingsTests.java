package io.github.wechatminiapp.opendata;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.testsupport.OpenDataEncryption;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * An open-data service built from its required collaborators alone has the documented
 * defaults, and each setter changes what it names.
 */
class OpenDataServiceSettingsTests {

	private static final String APP_ID = "wx0123456789abcdef";

	private static final String OPENID = "o-settings";

	private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] OTHER_KEY = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

	private static final WeRunData STEPS = new WeRunData(List.of(new WeRunStep(1, 2)));

	private final CaffeineSessionKeyRepository sessionKeys = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);

	// Decryption never calls WeChat: the service has no client to call it with.
	private final OpenDataService service = new OpenDataService(APP_ID, this.sessionKeys);

	OpenDataServiceSettingsTests() {
		this.sessionKeys.save(OPENID, SessionKey.ofBytes(KEY));
	}

	@Test
	void byDefaultAWatermarkIsAcceptedUpToFiveMinutesOld() {
		assertThat(decrypt(KEY, Instant.now().minusSeconds(270))).isEqualTo(STEPS);
		assertRejected(Instant.now().minusSeconds(330));
	}

	@Test
	void theWatermarkMaxAgeAndTheClockAreSettable() {
		this.service.setWatermarkMaxAge(Duration.ZERO);
		assertThat(decrypt(KEY, Instant.EPOCH)).isEqualTo(STEPS);
		this.service.setWatermarkMaxAge(Duration.ofMinutes(1));
		Instant then = Instant.parse("2025-03-01T08:00:00Z");
		this.service.setClock(Clock.fixed(then, ZoneOffset.UTC));
		assertThat(decrypt(KEY, then.minusSeconds(30))).isEqualTo(STEPS);
		assertRejected(then.minusSeconds(90));
	}

	@Test
	void byDefaultTheFifthRejectionDropsTheKeys() {
		for (int i = 1; i < 5; i++) {
			assertThatExceptionOfType(LoginRequiredException.class).isThrownBy(() -> decrypt(OTHER_KEY, Instant.now()))
				.satisfies(
						(ex) -> assertThat(ex.reason()).isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY));
		}
		assertThatExceptionOfType(LoginRequiredException.class).isThrownBy(() -> decrypt(OTHER_KEY, Instant.now()))
			.satisfies(
					(ex) -> assertThat(ex.reason()).isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED));
	}

	@Test
	void theBudgetSetStaysWhenTheListenerIsSetAfterItAndABudgetBelowOneIsRefused() {
		List<String> exhausted = new ArrayList<>();
		this.service.setFailureBudget(1);
		assertThatIllegalArgumentException().isThrownBy(() -> this.service.setFailureBudget(0));
		this.service.setFailureBudgetListener((appId) -> exhausted.add(appId));
		assertThatExceptionOfType(LoginRequiredException.class).isThrownBy(() -> decrypt(OTHER_KEY, Instant.now()))
			.satisfies(
					(ex) -> assertThat(ex.reason()).isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED));
		assertThat(exhausted).containsExactly(APP_ID);
	}

	@Test
	void theRejectionListenerSetIsToldTheReason() {
		List<OpenDataException.Reason> reasons = new ArrayList<>();
		this.service.setRejectionListener(reasons::add);
		assertRejected(Instant.EPOCH);
		assertThat(reasons).containsExactly(OpenDataException.Reason.WATERMARK_EXPIRED);
	}

	@Test
	void theJsonMapperSetBindsThePayload() {
		record Steps(List<WeRunStep> stepInfoList) {
		}
		byte[] iv = new byte[16];
		String json = "{\"stepInfoList\":[{\"timestamp\":1,\"step\":null}],\"watermark\":{\"timestamp\":"
				+ Instant.now().getEpochSecond() + ",\"appid\":\"" + APP_ID + "\"}}";
		String encrypted = OpenDataEncryption.encrypt(KEY, iv, json);
		String encodedIv = Base64.getEncoder().encodeToString(iv);
		// Jackson 3 refuses null for a primitive by default; this mapper takes it as 0.
		assertThatExceptionOfType(OpenDataException.class)
			.isThrownBy(() -> this.service.decrypt(OPENID, encrypted, encodedIv, Steps.class));
		this.service
			.setJsonMapper(JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build());
		assertThat(this.service.decrypt(OPENID, encrypted, encodedIv, Steps.class))
			.isEqualTo(new Steps(List.of(new WeRunStep(1, 0))));
	}

	@Test
	void nullIsRefusedEverywhere() {
		assertThatIllegalArgumentException().isThrownBy(() -> new OpenDataService(null, this.sessionKeys))
			.withMessage("appId must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> new OpenDataService("", this.sessionKeys))
			.withMessage("appId must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> new OpenDataService(" ", this.sessionKeys))
			.withMessage("appId must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> new OpenDataService(APP_ID, null))
			.withMessage("sessionKeys must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.service.setWatermarkMaxAge(null))
			.withMessage("watermarkMaxAge must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.service.setClock(null))
			.withMessage("clock must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.service.setRejectionListener(null))
			.withMessage("rejectionListener must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.service.setFailureBudgetListener(null))
			.withMessage("failureBudgetListener must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> this.service.setJsonMapper(null))
			.withMessage("jsonMapper must not be null");
		assertThat(decrypt(KEY, Instant.now())).isEqualTo(STEPS);
	}

	private WeRunData decrypt(byte[] key, Instant watermark) {
		byte[] iv = new byte[16];
		String json = "{\"stepInfoList\":[{\"timestamp\":1,\"step\":2}],\"watermark\":{\"timestamp\":"
				+ watermark.getEpochSecond() + ",\"appid\":\"" + APP_ID + "\"}}";
		return this.service.decrypt(OPENID, OpenDataEncryption.encrypt(key, iv, json),
				Base64.getEncoder().encodeToString(iv), WeRunData.class);
	}

	private void assertRejected(Instant watermark) {
		assertThatExceptionOfType(OpenDataException.class).isThrownBy(() -> decrypt(KEY, watermark))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(OpenDataException.Reason.WATERMARK_EXPIRED));
	}

}
