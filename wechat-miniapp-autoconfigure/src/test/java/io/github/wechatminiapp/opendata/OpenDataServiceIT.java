package io.github.wechatminiapp.opendata;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.autoconfigure.WeChatMiniAppAutoConfiguration;
import io.github.wechatminiapp.autoconfigure.WeChatMiniAppObservabilityAutoConfiguration;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.session.SessionKeyNotFoundException;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.SignedRawData;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.test.WeRunDay;
import io.github.wechatminiapp.token.AccessTokenProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link OpenDataService} through a Spring context against {@link WeChatSandbox}: every
 * payload type, every refusal, the official sample vector, and no secret in the output.
 */
@ExtendWith(OutputCaptureExtension.class)
class OpenDataServiceIT {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private static final Set<String> secrets = ConcurrentHashMap.newKeySet();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class,
				WeChatMiniAppObservabilityAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues(sandbox.springPropertyValues());

	@BeforeEach
	void reset() {
		sandbox.resetCounts();
	}

	@AfterEach
	void noSecretInTheOutput(CapturedOutput output) {
		secrets.add(sandbox.appSecret());
		assertThat(secrets).allSatisfy((secret) -> assertThat(output.getAll()).doesNotContain(secret));
	}

	// Each type

	@Test
	void weRunDataOfThirtyDays() {
		run((service, user) -> {
			EncryptedData data = sandbox.encryptWeRunData(user);
			WeRunData weRun = service.decrypt(user.openid(), data.encryptedData(), data.iv(), WeRunData.class);
			List<WeRunDay> expected = sandbox.weRunSteps(user);
			assertThat(weRun.stepInfoList()).hasSize(31)
				.containsExactlyElementsOf(
						expected.stream().map((step) -> new WeRunStep(step.timestamp(), step.step())).toList());
		});
	}

	@Test
	void shareInfoNamesTheGroup() {
		run((service, user) -> {
			String group = sandbox.createGroupId();
			EncryptedData data = sandbox.encryptShareInfo(user, group);
			assertThat(service.decrypt(user.openid(), data.encryptedData(), data.iv(), ShareInfo.class))
				.isEqualTo(new ShareInfo(group));
		});
	}

	@Test
	void groupEnterInfoReadsAsShareInfo() {
		run((service, user) -> {
			String group = sandbox.createGroupId();
			EncryptedData data = sandbox.encryptGroupEnterInfo(user, group);
			assertThat(service.decrypt(user.openid(), data.encryptedData(), data.iv(), ShareInfo.class))
				.isEqualTo(new ShareInfo(group, null, sandbox.groupOpenId(user, group), 3));
		});
	}

	@Test
	void groupEnterInfoOfASingleChatHasNoGroupButARoom() {
		run((service, user) -> {
			String room = sandbox.createSingleRoomId();
			EncryptedData data = sandbox.encryptSingleChatEnterInfo(user, room);
			ShareInfo info = service.decrypt(user.openid(), data.encryptedData(), data.iv(), ShareInfo.class);
			assertThat(info).isEqualTo(new ShareInfo(null, room, sandbox.groupOpenId(user, room), 1));
			assertThat(info.openGId()).isNull();
		});
	}

	@Test
	void userInfoOfThisUser() {
		run((service, user) -> {
			EncryptedData data = sandbox.encryptUserInfo(user);
			UserInfo info = service.decrypt(user.openid(), data.encryptedData(), data.iv(), UserInfo.class);
			assertThat(info).isEqualTo(new UserInfo(user.openid(), "微信用户", 0, "", "", "", "",
					"https://thirdwx.qlogo.cn/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg/132",
					user.unionid()));
		});
	}

	/** A type of the application's own, which also sees fields the records ignore. */
	record GroupEnter(String opengid, int chat_type) {
	}

	@Test
	void anyTypeOfTheApplicationsOwn() {
		run((service, user) -> {
			String group = sandbox.createGroupId();
			EncryptedData data = sandbox.encryptGroupEnterInfo(user, group);
			assertThat(service.decrypt(user.openid(), data.encryptedData(), data.iv(), GroupEnter.class))
				.isEqualTo(new GroupEnter(group, 3));
			JsonNode tree = service.decrypt(user.openid(), data.encryptedData(), data.iv(), JsonNode.class);
			assertThat(tree.get("watermark").get("appid").asString()).isEqualTo(sandbox.appId());
		});
	}

	@Test
	void theApplicationsMapperBindsButCannotRenameWeChatsFields() {
		JsonMapper snakeCase = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
		this.runner.withBean(JsonMapper.class, () -> snakeCase).run((context) -> {
			OpenDataService service = context.getBean(OpenDataService.class);
			WeChatSandboxUser user = login(context);
			EncryptedData weRun = sandbox.encryptWeRunData(user);
			assertThat(
					service.decrypt(user.openid(), weRun.encryptedData(), weRun.iv(), WeRunData.class).stepInfoList())
				.hasSize(31);
			EncryptedData userInfo = sandbox.encryptUserInfo(user);
			assertThat(
					service.decrypt(user.openid(), userInfo.encryptedData(), userInfo.iv(), UserInfo.class).unionId())
				.isEqualTo(user.unionid());
			// The application's own type follows the application's naming: chat_type from
			// chatType.
			record SnakeGroupEnter(String opengid, int chatType) {
			}
			String group = sandbox.createGroupId();
			EncryptedData enter = sandbox.encryptGroupEnterInfo(user, group);
			assertThat(service.decrypt(user.openid(), enter.encryptedData(), enter.iv(), SnakeGroupEnter.class))
				.isEqualTo(new SnakeGroupEnter(group, 3));
		});
	}

	// Refusals

	@Test
	void watermarkOfAnotherAppIsRefused() {
		run((service, user) -> assertRefused(service, user,
				sandbox.encryptWeRunData(user, "wx00000000000000ff", Instant.now()), Reason.WATERMARK_APPID_MISMATCH));
	}

	@Test
	void staleWatermarkIsRefused() {
		run((service, user) -> {
			Instant sixMinutesAgo = Instant.now().minus(Duration.ofMinutes(6));
			assertRefused(service, user, sandbox.encryptWeRunData(user, sandbox.appId(), sixMinutesAgo),
					Reason.WATERMARK_EXPIRED);
			Instant fourMinutesAgo = Instant.now().minus(Duration.ofMinutes(4));
			EncryptedData fresh = sandbox.encryptWeRunData(user, sandbox.appId(), fourMinutesAgo);
			assertThat(
					service.decrypt(user.openid(), fresh.encryptedData(), fresh.iv(), WeRunData.class).stepInfoList())
				.hasSize(31);
		});
	}

	@Test
	void ageCheckFollowsTheProperty() {
		this.runner.withPropertyValues("wechat.miniapp.watermark.max-age=1m").run((context) -> {
			OpenDataService service = context.getBean(OpenDataService.class);
			WeChatSandboxUser user = login(context);
			assertRefused(service, user,
					sandbox.encryptWeRunData(user, sandbox.appId(), Instant.now().minus(Duration.ofMinutes(2))),
					Reason.WATERMARK_EXPIRED);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"openGId\":\"tG1\"}", "{\"openGId\":\"tG1\",\"watermark\":null}",
			"{\"openGId\":\"tG1\",\"watermark\":\"wx0123456789abcdef\"}",
			"{\"openGId\":\"tG1\",\"watermark\":{\"appid\":7,\"timestamp\":1}}",
			"{\"openGId\":\"tG1\",\"watermark\":{\"timestamp\":1}}" })
	void missingOrMalformedWatermarkIsRefused(String payload) {
		run((service, user) -> assertRefusedAnyType(service, user, sandbox.encrypt(user, payload),
				Reason.WATERMARK_APPID_MISMATCH));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"openGId\":\"tG1\",\"watermark\":{\"appid\":\"%s\"}}",
			"{\"openGId\":\"tG1\",\"watermark\":{\"appid\":\"%s\",\"timestamp\":\"%d\"}}",
			"{\"openGId\":\"tG1\",\"watermark\":{\"appid\":\"%s\",\"timestamp\":%d.5}}" })
	void watermarkWithoutAnIntegerTimestampIsRefused(String template) {
		run((service, user) -> assertRefused(service, user,
				sandbox.encrypt(user, template.formatted(sandbox.appId(), Instant.now().getEpochSecond())),
				Reason.WATERMARK_EXPIRED));
	}

	@Test
	void timestampBeyondTheCalendarIsRefused() {
		run((service, user) -> assertRefusedAnyType(service, user,
				sandbox.encrypt(user, "{\"openGId\":\"tG1\",\"watermark\":{\"appid\":\"" + sandbox.appId()
						+ "\",\"timestamp\":9223372036854775807}}"),
				Reason.INVALID_PAYLOAD));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"openGId\":\"tG1\",\"openGId\":\"tG2\",%s}",
			"{\"openGId\":\"tG1\",%s,\"watermark\":{\"appid\":\"wx0000000000000000\",\"timestamp\":1}}",
			"{\"stepInfoList\":[{\"timestamp\":1,\"step\":2,\"step\":99999}],%s}",
			"{\"openGId\":\"tG1\",\"extra\":{\"a\":1,\"a\":2},%s}" })
	void duplicateNamesAtAnyDepthAreRefused(String template) {
		run((service, user) -> {
			EncryptedData data = sandbox.encrypt(user, template.formatted(watermark()));
			assertThat(assertRefusedAnyType(service, user, data, Reason.INVALID_PAYLOAD))
				.isInstanceOf(OpenDataException.class);
		});
	}

	@Test
	void duplicateNameInTheWatermarkIsRefused() {
		run((service, user) -> assertRefusedAnyType(service, user,
				sandbox.encrypt(user,
						"{\"openGId\":\"tG1\",\"watermark\":{\"appid\":\"" + sandbox.appId() + "\",\"appid\":\""
								+ sandbox.appId() + "\",\"timestamp\":" + Instant.now().getEpochSecond() + "}}"),
				Reason.INVALID_PAYLOAD));
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "{\"openGId\":\"tG1\",%s}{}", "{\"openGId\":\"tG1\",%s} 1", "{\"openGId\":\"tG1\",%s}\"x\"" })
	void anythingAfterTheObjectIsRefused(String template) {
		run((service, user) -> assertRefusedAnyType(service, user,
				sandbox.encrypt(user, template.formatted(watermark())), Reason.INVALID_PAYLOAD));
	}

	/**
	 * Plaintext that does not open an object is what a key that does not fit makes: as
	 * cheap to refuse.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "[{\"openGId\":\"tG1\",%s}]", "\"{\\\"openGId\\\":\\\"tG1\\\"}\"", "null", "",
			" {\"openGId\":\"tG1\",%s}" })
	void anythingButAnObjectIsRefusedAsAKeyThatDoesNotFit(String template) {
		run((service, user) -> assertRefusedAnyType(service, user,
				sandbox.encrypt(user, template.formatted(watermark())),
				LoginRequiredException.Reason.UNKNOWN_SESSION_KEY));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"stepInfoList\":[{\"timestamp\":1,\"step\":\"many\"}],%s}",
			"{\"stepInfoList\":null,%s}", "{\"stepInfoList\":[null],%s}", "{%s}" })
	void payloadThatDoesNotBindIsRefused(String template) {
		run((service, user) -> {
			EncryptedData data = sandbox.encrypt(user, template.formatted(watermark()));
			assertThatExceptionOfType(OpenDataException.class)
				.isThrownBy(() -> service.decrypt(user.openid(), data.encryptedData(), data.iv(), WeRunData.class))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.INVALID_PAYLOAD))
				.withMessage(OpenDataException.MESSAGE);
		});
	}

	@Test
	void shareInfoWithBothSpellingsOfTheGroupIsRefused() {
		run((service, user) -> assertRefused(service, user,
				sandbox.encrypt(user, "{\"openGId\":\"tG1\",\"opengid\":\"tG2\"," + watermark() + "}"),
				Reason.INVALID_PAYLOAD));
	}

	@Test
	void shareInfoWithoutTheGroupIsRefused() {
		run((service, user) -> assertRefused(service, user, sandbox.encryptWeRunData(user), Reason.INVALID_PAYLOAD));
	}

	@ParameterizedTest
	@ValueSource(strings = { "openId", "openid", "OPENID" })
	void payloadNamingAnotherUserIsRefused(String name) {
		run((service, user) -> {
			WeChatSandboxUser other = sandbox.createUser();
			EncryptedData data = sandbox.encrypt(user,
					"{\"" + name + "\":\"" + other.openid() + "\",\"openGId\":\"tG1\"," + watermark() + "}");
			assertRefusedAnyType(service, user, data, Reason.OPENID_MISMATCH);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "null", "7", "{}", "\"\"" })
	void payloadNamingNoUserInTheUserFieldIsRefused(String value) {
		run((service, user) -> assertRefusedAnyType(service, user,
				sandbox.encrypt(user, "{\"openId\":" + value + ",\"openGId\":\"tG1\"," + watermark() + "}"),
				Reason.OPENID_MISMATCH));
	}

	@Test
	void openIdIsComparedExactly() {
		run((service, user) -> {
			String almost = user.openid().toUpperCase(java.util.Locale.ROOT) + " ";
			assertRefused(service, user,
					sandbox.encrypt(user, "{\"openId\":\"" + almost + "\",\"openGId\":\"tG1\"," + watermark() + "}"),
					Reason.OPENID_MISMATCH);
			EncryptedData exact = sandbox.encrypt(user,
					"{\"openId\":\"" + user.openid() + "\",\"openGId\":\"tG1\"," + watermark() + "}");
			assertThat(service.decrypt(user.openid(), exact.encryptedData(), exact.iv(), ShareInfo.class).openGId())
				.isEqualTo("tG1");
		});
	}

	@Test
	void anotherUsersPayloadUnderTheirOwnKeyDoesNotOpen() {
		run((service, user) -> {
			WeChatSandboxUser other = sandbox.createUser();
			EncryptedData othersInfo = sandbox.encryptUserInfo(other);
			// The other user's payload under the other user's key: not this user's key at
			// all.
			assertRefused(service, user, othersInfo, LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
		});
	}

	@Test
	void noStoredKeyAsksForALogin() {
		this.runner.run((context) -> {
			OpenDataService service = context.getBean(OpenDataService.class);
			WeChatSandboxUser user = sandbox.createUser();
			EncryptedData data = sandbox.encryptWeRunData(user);
			assertThatExceptionOfType(SessionKeyNotFoundException.class)
				.isThrownBy(() -> service.decrypt(user.openid(), data.encryptedData(), data.iv(), WeRunData.class))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(LoginRequiredException.Reason.NO_SESSION_KEY));
			assertThat(rejections(context, LoginRequiredException.Reason.NO_SESSION_KEY)).isEqualTo(1.0);
		});
	}

	@Test
	void badPaddingUnderEveryKeyMeansAStaleKey() {
		run((service, user) -> {
			EncryptedData data = sandbox.encryptWeRunData(user);
			byte[] ciphertext = Base64.getDecoder().decode(data.encryptedData());
			// The last byte of the second-to-last block flips the last plaintext byte:
			// the padding breaks.
			ciphertext[ciphertext.length - 17] ^= 0x01;
			EncryptedData damaged = new EncryptedData(Base64.getEncoder().encodeToString(ciphertext), data.iv());
			assertThat(assertRefused(service, user, damaged, LoginRequiredException.Reason.UNKNOWN_SESSION_KEY))
				.isInstanceOf(LoginRequiredException.class);
		});
	}

	@Test
	void damagedInputIsRefusedWithoutTryingKeys() {
		run((service, user) -> {
			EncryptedData data = sandbox.encryptWeRunData(user);
			assertRefused(service, user, new EncryptedData("%%%" + data.encryptedData(), data.iv()),
					Reason.DECODE_BASE64_ERROR);
			assertRefused(service, user, new EncryptedData(data.encryptedData(), "AAAA"), Reason.ILLEGAL_IV);
			assertRefused(service, user, new EncryptedData("A".repeat(32 * 1024 + 4), data.iv()),
					Reason.ILLEGAL_BUFFER);
		});
	}

	@Test
	void dataEncryptedJustBeforeARotationDecryptsWithThePreviousKey() {
		this.runner.run((context) -> {
			OpenDataService service = context.getBean(OpenDataService.class);
			WeChatSandboxUser user = login(context);
			EncryptedData madeWithK1 = sandbox.encryptWeRunData(user);
			remember(sandbox.rotateSessionKey(user));
			login(context, user);
			assertThat(service.decrypt(user.openid(), madeWithK1.encryptedData(), madeWithK1.iv(), WeRunData.class)
				.stepInfoList()).hasSize(31);
			// Two rotations later the first key is gone.
			remember(sandbox.rotateSessionKey(user));
			login(context, user);
			assertRefused(service, user, madeWithK1, LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
		});
	}

	@Test
	void refusalUnderThePreviousKeyIsMoreTellingThanAKeyThatDidNotFit() {
		this.runner.run((context) -> {
			OpenDataService service = context.getBean(OpenDataService.class);
			WeChatSandboxUser user = login(context);
			EncryptedData otherApp = sandbox.encryptWeRunData(user, "wx00000000000000ff", Instant.now());
			remember(sandbox.rotateSessionKey(user));
			login(context, user);
			// The current key does not fit; the previous one opens it and finds another
			// app's watermark.
			assertRefused(service, user, otherApp, Reason.WATERMARK_APPID_MISMATCH);
			assertThat(rejections(context, Reason.WATERMARK_APPID_MISMATCH)).isEqualTo(1.0);
		});
	}

	@Test
	void everyRefusalCountsInThePhonePathsMetric() {
		this.runner.run((context) -> {
			OpenDataService service = context.getBean(OpenDataService.class);
			WeChatSandboxUser user = login(context);
			assertRefused(service, user, sandbox.encryptWeRunData(user, "wx00000000000000ff", Instant.now()),
					Reason.WATERMARK_APPID_MISMATCH);
			WeChatSandboxUser other = sandbox.createUser();
			assertRefused(service, user,
					sandbox.encrypt(user, "{\"openId\":\"" + other.openid() + "\"," + watermark() + "}"),
					Reason.OPENID_MISMATCH);
			assertThat(rejections(context, Reason.WATERMARK_APPID_MISMATCH)).isEqualTo(1.0);
			assertThat(rejections(context, Reason.OPENID_MISMATCH)).isEqualTo(1.0);
		});
	}

	@Test
	void openidIsValidated() {
		run((service, user) -> {
			EncryptedData data = sandbox.encryptWeRunData(user);
			for (String openid : new String[] { null, "", " ", "o".repeat(129) }) {
				assertThatExceptionOfType(io.github.wechatminiapp.InvalidInputException.class)
					.isThrownBy(() -> service.decrypt(openid, data.encryptedData(), data.iv(), WeRunData.class));
			}
			assertThatExceptionOfType(NullPointerException.class)
				.isThrownBy(() -> service.decrypt(user.openid(), data.encryptedData(), data.iv(), null));
		});
	}

	// The failure budget, shared with the phone number

	@Test
	void openDataAndPhoneNumberRejectionsShareOneBudget() {
		this.runner.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=3").run((context) -> {
			OpenDataService service = context.getBean(OpenDataService.class);
			PhoneNumberService phoneNumbers = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = login(context);
			EncryptedData otherApp = sandbox.encryptWeRunData(user, "wx00000000000000ff", Instant.now());
			assertRefused(service, user, otherApp, Reason.WATERMARK_APPID_MISMATCH);
			EncryptedData phoneOfOtherApp = sandbox.encryptPhoneNumber(user, "wx00000000000000ff", Instant.now());
			assertThatExceptionOfType(OpenDataException.class)
				.isThrownBy(() -> phoneNumbers.decryptPhoneNumber(user.openid(), phoneOfOtherApp.encryptedData(),
						phoneOfOtherApp.iv()))
				.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.WATERMARK_APPID_MISMATCH));
			// The third rejection, whichever path, uses up the budget: what the keys made
			// of it stays unsaid.
			assertThat(assertRefused(service, user, otherApp, LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED))
				.isInstanceOf(LoginRequiredException.class);
			assertThat(context.getBean(SessionKeyRepository.class).find(user.openid())).isEmpty();
			EncryptedData fine = sandbox.encryptWeRunData(user);
			assertThatExceptionOfType(SessionKeyNotFoundException.class)
				.isThrownBy(() -> service.decrypt(user.openid(), fine.encryptedData(), fine.iv(), WeRunData.class));
			assertThat(rejections(context, LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED)).isEqualTo(1.0);
			assertThat(context.getBean(MeterRegistry.class)
				.get("wechat.miniapp.open-data.failure-budget.exhausted")
				.counter()
				.count()).isEqualTo(1.0);
			// A new login with a new key buys a new budget.
			remember(sandbox.rotateSessionKey(user));
			login(context, user);
			EncryptedData fresh = sandbox.encryptWeRunData(user);
			assertThat(
					service.decrypt(user.openid(), fresh.encryptedData(), fresh.iv(), WeRunData.class).stepInfoList())
				.hasSize(31);
		});
	}

	@Test
	void everyKindOfRefusalUnderTheKeysCountsButDamagedInputDoesNot() {
		this.runner.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=4").run((context) -> {
			OpenDataService service = context.getBean(OpenDataService.class);
			WeChatSandboxUser user = login(context);
			EncryptedData data = sandbox.encryptWeRunData(user);
			for (int i = 0; i < 10; i++) {
				assertRefused(service, user, new EncryptedData("%%%" + data.encryptedData(), data.iv()),
						Reason.DECODE_BASE64_ERROR);
			}
			WeChatSandboxUser other = sandbox.createUser();
			assertRefusedAnyType(service, user,
					sandbox.encrypt(user, "{\"openId\":\"" + other.openid() + "\"," + watermark() + "}"),
					Reason.OPENID_MISMATCH);
			assertRefusedAnyType(service, user, sandbox.encrypt(user, "{\"a\":1,\"a\":2," + watermark() + "}"),
					Reason.INVALID_PAYLOAD);
			assertRefused(service, user, sandbox.encrypt(user, "{" + watermark() + "}"), Reason.INVALID_PAYLOAD);
			assertRefused(service, user, sandbox.encrypt(user, "not json"),
					LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		});
	}

	// rawData

	@Test
	void rawDataSignedWithTheStoredKeyVerifies() {
		run((service, user) -> {
			SignedRawData signed = sandbox.signedRawData(user);
			assertThat(service.verifyRawData(user.openid(), signed.rawData(), signed.signature())).isTrue();
			assertThat(service.verifyRawData(user.openid(), signed.rawData(),
					signed.signature().toUpperCase(java.util.Locale.ROOT)))
				.isTrue();
			assertThat(service.verifyRawData(user.openid(), signed.rawData() + " ", signed.signature())).isFalse();
			String flipped = ((signed.signature().charAt(0) != 'a') ? "a" : "b") + signed.signature().substring(1);
			assertThat(service.verifyRawData(user.openid(), signed.rawData(), flipped)).isFalse();
			WeChatSandboxUser other = sandbox.createUser();
			assertThat(service.verifyRawData(other.openid(), signed.rawData(), signed.signature())).isFalse();
		});
	}

	@Test
	void malformedRawDataInputsAreFalseNeverAnException() {
		run((service, user) -> {
			SignedRawData signed = sandbox.signedRawData(user);
			assertThat(service.verifyRawData(null, signed.rawData(), signed.signature())).isFalse();
			assertThat(service.verifyRawData("", signed.rawData(), signed.signature())).isFalse();
			assertThat(service.verifyRawData(" ", signed.rawData(), signed.signature())).isFalse();
			assertThat(service.verifyRawData("o".repeat(129), signed.rawData(), signed.signature())).isFalse();
			assertThat(service.verifyRawData(user.openid(), null, signed.signature())).isFalse();
			assertThat(service.verifyRawData(user.openid(), signed.rawData(), null)).isFalse();
			assertThat(service.verifyRawData(user.openid(), signed.rawData(), signed.signature() + "0")).isFalse();
			assertThat(service.verifyRawData(user.openid(), signed.rawData(), signed.signature().substring(1)))
				.isFalse();
			assertThat(service.verifyRawData(user.openid(), "x".repeat(32 * 1024 + 1), signed.signature())).isFalse();
			assertThat(service.verifyRawData("o-never-logged-in", signed.rawData(), signed.signature())).isFalse();
		});
	}

	@Test
	void longestRawDataStillVerifies() {
		this.runner.run((context) -> {
			OpenDataService service = context.getBean(OpenDataService.class);
			WeChatSandboxUser user = login(context);
			String rawData = "x".repeat(32 * 1024);
			String signature = sha1Hex(rawData + sandbox.sessionKey(user));
			assertThat(service.verifyRawData(user.openid(), rawData, signature)).isTrue();
		});
	}

	@Test
	void rawDataSignedJustBeforeARotationVerifiesWithThePreviousKey() {
		this.runner.run((context) -> {
			OpenDataService service = context.getBean(OpenDataService.class);
			WeChatSandboxUser user = login(context);
			SignedRawData withK1 = sandbox.signedRawData(user);
			remember(sandbox.rotateSessionKey(user));
			login(context, user);
			assertThat(service.verifyRawData(user.openid(), withK1.rawData(), withK1.signature())).isTrue();
			SignedRawData withK2 = sandbox.signedRawData(user);
			assertThat(service.verifyRawData(user.openid(), withK2.rawData(), withK2.signature())).isTrue();
			remember(sandbox.rotateSessionKey(user));
			login(context, user);
			assertThat(service.verifyRawData(user.openid(), withK1.rawData(), withK1.signature())).isFalse();
		});
	}

	// resetusersessionkey

	@Test
	void resetSessionKeyStoresTheNewKeyAndKeepsTheOldOneAsPrevious() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = login(context);
			String before = sandbox.sessionKey(user);
			EncryptedData madeBefore = sandbox.encryptWeRunData(user);
			service.resetSessionKey(user.openid());
			String after = sandbox.sessionKey(user);
			remember(after);
			assertThat(after).isNotEqualTo(before);
			assertThat(sandbox.requestCount(WeChatEndpoint.RESET_USER_SESSION_KEY)).isEqualTo(1);
			SessionKeyRepository store = context.getBean(SessionKeyRepository.class);
			assertThat(store.findRecent(user.openid())).containsExactly(SessionKey.ofBase64(after),
					SessionKey.ofBase64(before));
			EncryptedData madeAfter = sandbox.encryptWeRunData(user);
			OpenDataService openData = context.getBean(OpenDataService.class);
			assertThat(openData.decrypt(user.openid(), madeAfter.encryptedData(), madeAfter.iv(), WeRunData.class)
				.stepInfoList()).hasSize(31);
			assertThat(openData.decrypt(user.openid(), madeBefore.encryptedData(), madeBefore.iv(), WeRunData.class)
				.stepInfoList()).hasSize(31);
			// WeChat agrees that the stored key is the current one.
			assertThat(context.getBean(PhoneNumberService.class).checkSessionKey(user.openid())).isTrue();
			rememberToken(context);
		});
	}

	@Test
	void resetSessionKeyFetchesANewAccessTokenOnceWhenWeChatRejectsTheCachedOne() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = login(context);
			rememberToken(context);
			sandbox.revokeAccessTokens();
			service.resetSessionKey(user.openid());
			remember(sandbox.sessionKey(user));
			assertThat(sandbox.requestCount(WeChatEndpoint.RESET_USER_SESSION_KEY)).isEqualTo(2);
			assertThat(context.getBean(SessionKeyRepository.class).find(user.openid()))
				.contains(SessionKey.ofBase64(sandbox.sessionKey(user)));
			rememberToken(context);
		});
	}

	@Test
	void resetSessionKeyWithoutAStoredKeyAsksForALogin() {
		this.runner.run((context) -> {
			assertThatExceptionOfType(SessionKeyNotFoundException.class)
				.isThrownBy(() -> context.getBean(PhoneNumberService.class).resetSessionKey("o-never-logged-in"));
			assertThat(sandbox.requestCount(WeChatEndpoint.RESET_USER_SESSION_KEY)).isZero();
		});
	}

	@Test
	void resetSessionKeyWithAStaleKeyIsRefusedByWeChatAndKeepsTheStore() {
		this.runner.run((context) -> {
			PhoneNumberService service = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = login(context);
			String stored = sandbox.sessionKey(user);
			remember(sandbox.rotateSessionKey(user));
			assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> service.resetSessionKey(user.openid()))
				.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(87009));
			assertThat(context.getBean(SessionKeyRepository.class).find(user.openid()))
				.contains(SessionKey.ofBase64(stored));
			rememberToken(context);
		});
	}

	@Test
	void resetSessionKeyValidatesTheOpenid() {
		this.runner.run((context) -> assertThatExceptionOfType(io.github.wechatminiapp.InvalidInputException.class)
			.isThrownBy(() -> context.getBean(PhoneNumberService.class).resetSessionKey(" ")));
	}

	// The official sample vector

	/**
	 * The test vector of WeChat's official {@code WXBizDataCrypt} samples (the
	 * "aes-sample" download of the open-data decryption documentation, reproduced
	 * verbatim in many SDKs, e.g. binarywang/WxJava's {@code WxMaCryptUtilsTest},
	 * Apache-2.0): user info for app {@code wx4f4bc4dec97d474b}, made in October 2016, so
	 * the age check is off.
	 */
	@Test
	void officialSampleVectorDecryptsToItsDocumentedUserInfo() {
		String encryptedData = "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC"
				+ "+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6"
				+ "/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQh"
				+ "ULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwT"
				+ "yrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T"
				+ "8yO5hzuyDb/XcxxmK01EpqOyuxINew==";
		String iv = "r7BXXKkLb8qrSNn05n0qiA==";
		String openid = "oGZUI0egBJY1zhBYw2KhdUfwVJJE";
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(RestClientAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
			.withPropertyValues("wechat.miniapp.app-id=wx4f4bc4dec97d474b",
					"wechat.miniapp.app-secret=0123456789abcdef0123456789abcdef", "wechat.miniapp.watermark.max-age=0")
			.run((context) -> {
				context.getBean(SessionKeyRepository.class)
					.save(openid, SessionKey.ofBase64("tiihtNczf5v6AKRyjwEUhQ=="));
				OpenDataService service = context.getBean(OpenDataService.class);
				UserInfo info = service.decrypt(openid, encryptedData, iv, UserInfo.class);
				assertThat(info).isEqualTo(new UserInfo(openid, "Band", 1, "zh_CN", "Guangzhou", "Guangdong", "CN",
						"http://wx.qlogo.cn/mmopen/vi_32/aSKcBBPpibyKNicHNTMM0qJVh8Kjgiak2AHWr8MHM4WgMEm7GFhsf8OYrySdbvAMvTsw3mo8ibKicsnfN5pRjl1p8HQ/0",
						"ocMvos6NjeKLIBqg5Mr9QjxrP1FA"));
				JsonNode watermark = service.decrypt(openid, encryptedData, iv, JsonNode.class).get("watermark");
				assertThat(watermark.get("timestamp").asLong()).isEqualTo(1477314187L);
				assertThat(watermark.get("appid").asString()).isEqualTo("wx4f4bc4dec97d474b");
				// The same data for any other user: it names its own.
				context.getBean(SessionKeyRepository.class)
					.save("oSomeoneElse", SessionKey.ofBase64("tiihtNczf5v6AKRyjwEUhQ=="));
				assertThatExceptionOfType(OpenDataException.class)
					.isThrownBy(() -> service.decrypt("oSomeoneElse", encryptedData, iv, UserInfo.class))
					.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(Reason.OPENID_MISMATCH));
			});
	}

	@Test
	void officialSampleVectorIsRefusedWithTheAgeCheckOnAndForAnotherApp() {
		String encryptedData = "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC"
				+ "+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6"
				+ "/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQh"
				+ "ULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwT"
				+ "yrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T"
				+ "8yO5hzuyDb/XcxxmK01EpqOyuxINew==";
		String openid = "oGZUI0egBJY1zhBYw2KhdUfwVJJE";
		ApplicationContextRunner official = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(RestClientAutoConfiguration.class, WeChatMiniAppAutoConfiguration.class))
			.withPropertyValues("wechat.miniapp.app-secret=0123456789abcdef0123456789abcdef");
		java.util.function.Function<Reason, ContextConsumer<AssertableApplicationContext>> refused = (
				reason) -> (context) -> {
					context.getBean(SessionKeyRepository.class)
						.save(openid, SessionKey.ofBase64("tiihtNczf5v6AKRyjwEUhQ=="));
					assertThatExceptionOfType(OpenDataException.class)
						.isThrownBy(() -> context.getBean(OpenDataService.class)
							.decrypt(openid, encryptedData, "r7BXXKkLb8qrSNn05n0qiA==", UserInfo.class))
						.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(reason));
				};
		official.withPropertyValues("wechat.miniapp.app-id=wx4f4bc4dec97d474b")
			.run(refused.apply(Reason.WATERMARK_EXPIRED));
		official.withPropertyValues("wechat.miniapp.app-id=wx0123456789abcdef", "wechat.miniapp.watermark.max-age=0")
			.run(refused.apply(Reason.WATERMARK_APPID_MISMATCH));
	}

	// Helpers

	private void run(TestBody body) {
		this.runner.run((context) -> body.run(context.getBean(OpenDataService.class), login(context)));
	}

	@FunctionalInterface
	interface TestBody {

		void run(OpenDataService service, WeChatSandboxUser user);

	}

	private static WeChatSandboxUser login(AssertableApplicationContext context) {
		return login(context, sandbox.createUser());
	}

	private static WeChatSandboxUser login(AssertableApplicationContext context, WeChatSandboxUser user) {
		context.getBean(PhoneNumberService.class).login(sandbox.loginCode(user));
		remember(sandbox.sessionKey(user));
		return user;
	}

	private static String watermark() {
		return "\"watermark\":{\"timestamp\":" + Instant.now().getEpochSecond() + ",\"appid\":\"" + sandbox.appId()
				+ "\"}";
	}

	private static WeChatMiniAppException assertRefused(OpenDataService service, WeChatSandboxUser user,
			EncryptedData data, Enum<?> reason) {
		return assertRefused(service, user, data, reason, ShareInfo.class);
	}

	/**
	 * As a JSON tree, the refusals of the strict reading cannot be mistaken for a payload
	 * that does not bind.
	 */
	private static WeChatMiniAppException assertRefusedAnyType(OpenDataService service, WeChatSandboxUser user,
			EncryptedData data, Enum<?> reason) {
		return assertRefused(service, user, data, reason, JsonNode.class);
	}

	private static WeChatMiniAppException assertRefused(OpenDataService service, WeChatSandboxUser user,
			EncryptedData data, Enum<?> reason, Class<?> type) {
		WeChatMiniAppException ex = assertThatExceptionOfType(WeChatMiniAppException.class)
			.isThrownBy(() -> service.decrypt(user.openid(), data.encryptedData(), data.iv(), type))
			.actual();
		// What the data showed (400), or that the user must log in again: one message
		// either way.
		Enum<?> actual = (ex instanceof OpenDataException refused) ? refused.reason()
				: ((LoginRequiredException) ex).reason();
		assertThat(actual).isEqualTo(reason);
		assertThat(ex).hasMessage(OpenDataException.MESSAGE);
		assertThat(ex.getStackTrace()).isEmpty();
		return ex;
	}

	private static double rejections(AssertableApplicationContext context, Enum<?> reason) {
		return context.getBean(MeterRegistry.class)
			.get("wechat.miniapp.open-data.rejected")
			.tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
			.counter()
			.count();
	}

	private static void remember(String secret) {
		secrets.add(secret);
	}

	private static void rememberToken(AssertableApplicationContext context) {
		secrets.add(context.getBean(AccessTokenProvider.class).getAccessToken());
	}

	private static String sha1Hex(String text) throws Exception {
		return java.util.HexFormat.of()
			.formatHex(java.security.MessageDigest.getInstance("SHA-1")
				.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
	}

}
