package io.github.wechatminiapp.opendata;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The strict reading of decrypted open data, without encryption: every branch and
 * boundary.
 */
class OpenDataReaderTests {

	private static final String APP_ID = "wx0123456789abcdef";

	private static final Instant NOW = Instant.parse("2025-03-01T08:00:00Z");

	private static final String OPENID = "oUser0000000000000000000000";

	private final OpenDataReader reader = new OpenDataReader(JsonMapper.builder().build(), APP_ID,
			Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

	private static String watermark(long timestamp) {
		return "\"watermark\":{\"appid\":\"" + APP_ID + "\",\"timestamp\":" + timestamp + "}";
	}

	private static String watermark() {
		return watermark(NOW.getEpochSecond());
	}

	private <T> T read(String json, Class<T> type) {
		return this.reader.read(json.getBytes(StandardCharsets.UTF_8), OPENID, type);
	}

	private Reason refusal(String json, Class<?> type) {
		return assertThatExceptionOfType(OpenDataException.class).isThrownBy(() -> read(json, type))
			.withMessage(OpenDataException.MESSAGE)
			.actual()
			.reason();
	}

	@Test
	void readsWeChatsPayloads() {
		assertThat(read(
				"{\"stepInfoList\":[{\"timestamp\":1,\"step\":2},{\"timestamp\":3,\"step\":4}]," + watermark() + "}",
				WeRunData.class))
			.isEqualTo(new WeRunData(List.of(new WeRunStep(1, 2), new WeRunStep(3, 4))));
		assertThat(read("{\"openGId\":\"tG1\"," + watermark() + "}", ShareInfo.class)).isEqualTo(new ShareInfo("tG1"));
		assertThat(read("{\"opengid\":\"tG2\",\"chat_type\":3," + watermark() + "}", ShareInfo.class))
			.isEqualTo(new ShareInfo("tG2", null, null, 3));
		// wx.getGroupEnterInfo since base library 3.7.8: a group chat, and a single chat,
		// which has no opengid.
		assertThat(read("{\"opengid\":\"tG3\",\"group_openid\":\"oG1\",\"chat_type\":4," + watermark() + "}",
				ShareInfo.class))
			.isEqualTo(new ShareInfo("tG3", null, "oG1", 4));
		assertThat(read("{\"open_single_roomid\":\"sR1\",\"group_openid\":\"oG2\",\"chat_type\":1," + watermark() + "}",
				ShareInfo.class))
			.isEqualTo(new ShareInfo(null, "sR1", "oG2", 1));
		assertThat(read("{\"open_single_roomid\":\"sR1\",\"chat_type\":null," + watermark() + "}", ShareInfo.class))
			.isEqualTo(new ShareInfo(null, "sR1", null, null));
		assertThat(
				read("{\"openId\":\"" + OPENID + "\",\"nickName\":\"n\",\"gender\":2,\"language\":\"l\",\"city\":\"c\","
						+ "\"province\":\"p\",\"country\":\"k\",\"avatarUrl\":\"a\",\"unionId\":\"u\",\"new\":[1],"
						+ watermark() + "}", UserInfo.class))
			.isEqualTo(new UserInfo(OPENID, "n", 2, "l", "c", "p", "k", "a", "u"));
	}

	@Test
	void wipesThePlaintextWhetherAcceptedOrNot() {
		byte[] accepted = ("{\"openGId\":\"tG1\"," + watermark() + "}").getBytes(StandardCharsets.UTF_8);
		this.reader.read(accepted, OPENID, ShareInfo.class);
		assertThat(accepted).containsOnly(0);
		byte[] notJson = "{\"openGId\":".getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(OpenDataException.class)
			.isThrownBy(() -> this.reader.read(notJson, OPENID, ShareInfo.class));
		assertThat(notJson).containsOnly(0);
		byte[] notAnObject = "[1]".getBytes(StandardCharsets.UTF_8);
		assertThatExceptionOfType(OpenDataException.class)
			.isThrownBy(() -> this.reader.read(notAnObject, OPENID, ShareInfo.class));
		assertThat(notAnObject).containsOnly(0);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " {}", "[]", "null", "\"x\"", "{", "{\"a\":}", "{'a':1}", "{\"a\":1 /* c */}",
			"{\0\"\0a\0\"\0:\0" + "1\0}\0" })
	void whatIsNotOneJsonObjectIsWhatAWrongKeyMakes(String json) {
		assertThat(refusal(json, ShareInfo.class)).isEqualTo(Reason.BAD_PADDING);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"openGId\":\"tG1\",\"openGId\":\"tG1\",%s}", "{\"openGId\":\"tG1\",%s} {}",
			"{\"openGId\":\"tG1\",%s} ]", "{\"openGId\":\"tG1\",%s} 1",
			"{\"x\":[{\"y\":{\"z\":1,\"z\":1}}],\"openGId\":\"tG1\",%s}",
			"{\"x\":[{\"y\":1},{\"y\":1,\"y\":1}],\"openGId\":\"tG1\",%s}",
			"{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"h\":1,\"openGId\":\"tG1\",%s}",
			"{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"a\":1,\"openGId\":\"tG1\",%s}",
			"{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1,\"b\":1,\"openGId\":\"tG1\",%s}",
			"{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1,\"openGId\":\"tG1\",\"i\":1,%s}",
			"{\"openGId\":\"tG1\",\"watermark\":{\"appid\":\"wx0123456789abcdef\",\"appid\":\"wx0123456789abcdef\"},%s}" })
	void ambiguousJsonIsAnInvalidPayload(String template) {
		assertThat(refusal(template.formatted(watermark()), ShareInfo.class)).isEqualTo(Reason.INVALID_PAYLOAD);
	}

	@Test
	void namesAreOnlyAmbiguousWithinOneObject() {
		String many = "\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1,\"j\":1";
		// The same names in objects that follow one another, after many names or few, and
		// in the objects within.
		String json = "{\"x\":[{" + many + "},{\"a\":1,\"b\":{\"a\":1}},{\"a\":1}]," + many
				+ ",\"y\":{\"a\":[{\"a\":1}]},\"openGId\":\"tG1\"," + watermark() + "}";
		assertThat(read(json, ShareInfo.class).openGId()).isEqualTo("tG1");
	}

	@Test
	void theWatermarkMustNameThisApp() {
		assertThat(refusal("{\"openGId\":\"tG1\"}", ShareInfo.class)).isEqualTo(Reason.WATERMARK_APPID_MISMATCH);
		assertThat(refusal("{\"openGId\":\"tG1\",\"watermark\":[]}", ShareInfo.class))
			.isEqualTo(Reason.WATERMARK_APPID_MISMATCH);
		assertThat(refusal("{\"openGId\":\"tG1\",\"watermark\":{\"appid\":\"wx0123456789abcdeF\",\"timestamp\":"
				+ NOW.getEpochSecond() + "}}", ShareInfo.class))
			.isEqualTo(Reason.WATERMARK_APPID_MISMATCH);
	}

	@Test
	void theWatermarkAgeIsCheckedToTheSecond() {
		long limit = NOW.minus(Duration.ofMinutes(5)).getEpochSecond();
		assertThat(read("{\"openGId\":\"tG1\"," + watermark(limit) + "}", ShareInfo.class).openGId()).isEqualTo("tG1");
		assertThat(refusal("{\"openGId\":\"tG1\"," + watermark(limit - 1) + "}", ShareInfo.class))
			.isEqualTo(Reason.WATERMARK_EXPIRED);
		long future = NOW.plus(Duration.ofMinutes(5)).getEpochSecond();
		assertThat(read("{\"openGId\":\"tG1\"," + watermark(future) + "}", ShareInfo.class).openGId()).isEqualTo("tG1");
		assertThat(refusal("{\"openGId\":\"tG1\"," + watermark(future + 1) + "}", ShareInfo.class))
			.isEqualTo(Reason.WATERMARK_EXPIRED);
	}

	@Test
	void aTimestampThatIsNotALongIsNoTimestamp() {
		assertThat(refusal("{\"openGId\":\"tG1\",\"watermark\":{\"appid\":\"" + APP_ID
				+ "\",\"timestamp\":100000000000000000000000}}", ShareInfo.class))
			.isEqualTo(Reason.WATERMARK_EXPIRED);
		assertThat(refusal("{\"openGId\":\"tG1\",\"watermark\":{\"appid\":\"" + APP_ID + "\",\"timestamp\":"
				+ Long.MIN_VALUE + "}}", ShareInfo.class))
			.isEqualTo(Reason.INVALID_PAYLOAD);
	}

	@Test
	void theAgeCheckIsOffAtZero() {
		OpenDataReader noAgeCheck = new OpenDataReader(JsonMapper.builder().build(), APP_ID, Duration.ZERO,
				Clock.fixed(NOW, ZoneOffset.UTC));
		byte[] ancient = ("{\"openGId\":\"tG1\"," + watermark(0) + "}").getBytes(StandardCharsets.UTF_8);
		assertThat(noAgeCheck.read(ancient, OPENID, ShareInfo.class).openGId()).isEqualTo("tG1");
	}

	@Test
	void aPayloadNamingAUserMustNameThisOne() {
		assertThat(read("{\"openId\":\"" + OPENID + "\",\"openGId\":\"tG1\"," + watermark() + "}", ShareInfo.class)
			.openGId()).isEqualTo("tG1");
		assertThat(refusal("{\"openId\":\"" + OPENID + "x\"," + watermark() + "}", ShareInfo.class))
			.isEqualTo(Reason.OPENID_MISMATCH);
		assertThat(refusal("{\"OpenID\":\"o2\"," + watermark() + "}", ShareInfo.class))
			.isEqualTo(Reason.OPENID_MISMATCH);
		assertThat(refusal("{\"openId\":[\"" + OPENID + "\"]," + watermark() + "}", ShareInfo.class))
			.isEqualTo(Reason.OPENID_MISMATCH);
		// Only the top level names the user; a nested openid is part of the content.
		assertThat(read("{\"friend\":{\"openId\":\"o2\"},\"openGId\":\"tG1\"," + watermark() + "}", ShareInfo.class)
			.openGId()).isEqualTo("tG1");
		// Names that merely contain it are not it.
		assertThat(read("{\"openIds\":\"o2\",\"group_openid\":\"o3\",\"openGId\":\"tG1\"," + watermark() + "}",
				ShareInfo.class)
			.openGId()).isEqualTo("tG1");
	}

	/** A type whose factory makes nothing of the payload. */
	record Nothing(String value) {

		@JsonCreator
		static Nothing of(@JsonProperty("value") String value) {
			return null;
		}

	}

	/** Every kind of value, bound by the application's mapper. */
	record Everything(boolean yes, boolean no, String nothing, long whole, BigInteger huge, double ratio, JsonNode tree,
			Watermark watermark) {

		/** The watermark as the application's type sees it. */
		record Watermark(String appid, long timestamp) {
		}

	}

	@Test
	void anApplicationsTypeIsBoundFromEveryKindOfToken() {
		Everything everything = read(
				"{\"yes\":true,\"no\":false,\"nothing\":null,\"whole\":-42,"
						+ "\"huge\":123456789012345678901234567890,\"ratio\":1.5e2,"
						+ "\"tree\":{\"a\":[1,\"b\",{\"c\":[]},-0.5,false,null],\"d\":{}}," + watermark() + "}",
				Everything.class);
		assertThat(everything.yes()).isTrue();
		assertThat(everything.no()).isFalse();
		assertThat(everything.nothing()).isNull();
		assertThat(everything.whole()).isEqualTo(-42);
		assertThat(everything.huge()).isEqualTo(new BigInteger("123456789012345678901234567890"));
		assertThat(everything.ratio()).isEqualTo(150.0);
		assertThat(everything.tree()).hasToString("{\"a\":[1,\"b\",{\"c\":[]},-0.5,false,null],\"d\":{}}");
		assertThat(everything.watermark()).isEqualTo(new Everything.Watermark(APP_ID, NOW.getEpochSecond()));
	}

	@Test
	void fieldsThatLeaveAValueUnreadAreABug() {
		OpenDataFields<String> lazy = new OpenDataFields<>() {

			@Override
			public void field(String name, StrictJson json) {
			}

			@Override
			public String result() {
				return "read";
			}

		};
		byte[] scalars = ("{\"a\":1,\"b\":\"c\"," + watermark() + "}").getBytes(StandardCharsets.UTF_8);
		assertThat(this.reader.read(scalars, OPENID, lazy)).isEqualTo("read");
		byte[] nested = ("{\"a\":{\"b\":1}," + watermark() + "}").getBytes(StandardCharsets.UTF_8);
		assertThatIllegalStateException().isThrownBy(() -> this.reader.read(nested, OPENID, lazy))
			.withMessageContaining("did not read a whole value");
		assertThat(read("{\"x\":{\"a\":1},\"y\":[2],\"stepInfoList\":[]," + watermark() + "}", WeRunData.class)
			.stepInfoList()).isEmpty();
	}

	@Test
	void aPayloadThatBindsToNothingIsInvalid() {
		assertThat(refusal("{\"value\":\"v\"," + watermark() + "}", Nothing.class)).isEqualTo(Reason.INVALID_PAYLOAD);
	}

	@Test
	void unknownFieldsAreIgnoredWhateverTheApplicationsMapperSays() {
		OpenDataReader strictMapper = new OpenDataReader(JsonMapper.builder()
			.enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.build(), APP_ID, Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));
		byte[] withExtras = ("{\"openGId\":\"tG1\",\"extra\":1," + watermark() + "}").getBytes(StandardCharsets.UTF_8);
		assertThat(strictMapper.read(withExtras, OPENID, ShareInfo.class).openGId()).isEqualTo("tG1");
	}

	@Test
	void recordsRefuseWhatIsNotTheirPayload() {
		assertThat(refusal("{\"openGId\":\"a\",\"opengid\":\"b\"," + watermark() + "}", ShareInfo.class))
			.isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{\"opengid\":\"a\",\"openGId\":\"a\"," + watermark() + "}", ShareInfo.class))
			.isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{\"opengid\":\"a\",\"open_single_roomid\":\"b\"," + watermark() + "}", ShareInfo.class))
			.isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{\"opengid\":null," + watermark() + "}", ShareInfo.class))
			.isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{\"opengid\":{}," + watermark() + "}", ShareInfo.class)).isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{\"opengid\":\"a\",\"chat_type\":\"group\"," + watermark() + "}", ShareInfo.class))
			.isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{\"opengid\":\"a\",\"chat_type\":4294967296," + watermark() + "}", ShareInfo.class))
			.isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{\"stepInfoList\":{}," + watermark() + "}", WeRunData.class))
			.isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{\"stepInfoList\":[1]," + watermark() + "}", WeRunData.class))
			.isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{\"stepInfoList\":[{\"step\":[]}]," + watermark() + "}", WeRunData.class))
			.isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{\"stepInfoList\":[{\"timestamp\":123456789012345678901234}]," + watermark() + "}",
				WeRunData.class))
			.isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{\"stepInfoList\":[" + "{},".repeat(64) + "{}]," + watermark() + "}", WeRunData.class))
			.isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(read("{\"stepInfoList\":[" + "{},".repeat(63) + "{\"timestamp\":\"7\",\"step\":null,\"x\":[1]}],"
				+ watermark() + "}", WeRunData.class)
			.stepInfoList()).hasSize(64).endsWith(new WeRunStep(7, 0));
		assertThat(refusal("{\"stepInfoList\":[{\"timestamp\":\"x\"}]," + watermark() + "}", WeRunData.class))
			.isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{\"openId\":\"" + OPENID + "\",\"city\":[]," + watermark() + "}", UserInfo.class))
			.isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(read("{\"openId\":\"" + OPENID + "\",\"gender\":\"2\",\"city\":1,\"country\":true,\"x\":{},"
				+ "\"province\":null," + watermark() + "}", UserInfo.class))
			.isEqualTo(new UserInfo(OPENID, null, 2, null, "1", null, "true", null, null));
		assertThat(refusal("{" + watermark() + "}", ShareInfo.class)).isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{" + watermark() + "}", WeRunData.class)).isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{\"stepInfoList\":[null]," + watermark() + "}", WeRunData.class))
			.isEqualTo(Reason.INVALID_PAYLOAD);
	}

}
