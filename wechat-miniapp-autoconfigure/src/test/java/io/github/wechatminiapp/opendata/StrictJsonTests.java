package io.github.wechatminiapp.opendata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.opendata.StrictJson.Token;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * The strict JSON reader: the grammar, the UTF-8, the escapes, the names, the limits, and
 * the same verdict and tokens as Jackson's strict parser on generated documents.
 */
class StrictJsonTests {

	private static byte[] utf8(String json) {
		return json.getBytes(StandardCharsets.UTF_8);
	}

	/** Every token of a document, as text. */
	private static List<String> tokens(byte[] json) {
		StrictJson reader = new StrictJson(json);
		List<String> tokens = new ArrayList<>();
		for (Token token = reader.next(); token != null; token = reader.next()) {
			tokens.add(describe(reader, token));
			assertThat(reader.token()).isEqualTo(token);
		}
		assertThat(reader.token()).isNull();
		return tokens;
	}

	private static String describe(StrictJson reader, Token token) {
		return switch (token) {
			case NAME -> "NAME " + reader.name();
			case STRING -> "STRING " + reader.string();
			case NUMBER -> "NUMBER " + reader.string() + (reader.isLong() ? " long " + reader.longValue() : "")
					+ (reader.isIntegral() ? " integral" : "");
			default -> token.name();
		};
	}

	private static Reason refusal(byte[] json) {
		return assertThatExceptionOfType(OpenDataException.class).isThrownBy(() -> tokens(json))
			.withMessage(OpenDataException.MESSAGE)
			.actual()
			.reason();
	}

	private static Reason refusal(String json) {
		return refusal(utf8(json));
	}

	@Test
	void readsEveryKindOfToken() {
		assertThat(tokens(
				utf8(" {\"a\" : [ 1 , -2.5e3 , \"x\" , true , false , null , { } , [ ] ] ,\"b\":{\"c\":0}}\r\n\t")))
			.containsExactly("START_OBJECT", "NAME a", "START_ARRAY", "NUMBER 1 long 1 integral", "NUMBER -2.5e3",
					"STRING x", "TRUE", "FALSE", "NULL", "START_OBJECT", "END_OBJECT", "START_ARRAY", "END_ARRAY",
					"END_ARRAY", "NAME b", "START_OBJECT", "NAME c", "NUMBER 0 long 0 integral", "END_OBJECT",
					"END_OBJECT");
		assertThat(tokens(utf8("[]"))).containsExactly("START_ARRAY", "END_ARRAY");
		assertThat(tokens(utf8("7"))).containsExactly("NUMBER 7 long 7 integral");
		assertThat(tokens(utf8("\"\""))).containsExactly("STRING ");
	}

	@Test
	void readsTheTextOfEveryScalar() {
		StrictJson reader = new StrictJson(utf8("[true,false,null,12,\"s\"]"));
		reader.next();
		reader.next();
		assertThat(reader.string()).isEqualTo("true");
		reader.next();
		assertThat(reader.string()).isEqualTo("false");
		reader.next();
		assertThat(reader.string()).isNull();
		assertThat(reader.isIntegral()).isFalse();
		assertThat(reader.isLong()).isFalse();
		reader.next();
		assertThat(reader.string()).isEqualTo("12");
		reader.next();
		assertThat(reader.isIntegral()).isFalse();
		reader.next();
		assertThatIllegalStateException().isThrownBy(reader::string);
		assertThatIllegalStateException().isThrownBy(reader::longValue);
	}

	@Test
	void aNameIsOnlyThereOnceOneWasRead() {
		StrictJson reader = new StrictJson(utf8("{\"a\":{}}"));
		reader.next();
		assertThatIllegalStateException().isThrownBy(reader::name);
		assertThatIllegalStateException().isThrownBy(reader::string);
		reader.next();
		assertThat(reader.name()).isEqualTo("a");
		assertThatIllegalStateException().isThrownBy(reader::string);
		reader.next();
		assertThatIllegalStateException().isThrownBy(reader::string);
		reader.next();
		assertThatIllegalStateException().isThrownBy(reader::string);
	}

	@Test
	void readsLongsToTheirLimits() {
		assertThat(tokens(utf8("[9223372036854775807,-9223372036854775808,123456789012345678,-0]"))).containsExactly(
				"START_ARRAY", "NUMBER 9223372036854775807 long 9223372036854775807 integral",
				"NUMBER -9223372036854775808 long -9223372036854775808 integral",
				"NUMBER 123456789012345678 long 123456789012345678 integral", "NUMBER -0 long 0 integral", "END_ARRAY");
		assertThat(tokens(utf8("[9223372036854775808,-9223372036854775809,1.0,1e2,1E+2,1e-2]"))).containsExactly(
				"START_ARRAY", "NUMBER 9223372036854775808 integral", "NUMBER -9223372036854775809 integral",
				"NUMBER 1.0", "NUMBER 1e2", "NUMBER 1E+2", "NUMBER 1e-2", "END_ARRAY");
		StrictJson tooLarge = new StrictJson(utf8("[-9223372036854775809]"));
		tooLarge.next();
		tooLarge.next();
		assertThat(tooLarge.isIntegral()).isTrue();
		assertThatIllegalStateException().isThrownBy(tooLarge::longValue);
	}

	@Test
	void undoesEveryEscape() {
		assertThat(tokens(utf8("[\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\\u0041\\u4e2d\\uD83D\\uDE00j\"]")))
			.containsExactly("START_ARRAY", "STRING a\"b\\c/d\be\ff\ng\rh\ti\u0041\u4e2d\uD83D\uDE00j", "END_ARRAY");
		// Names too, and an escaped name is the same name as the plain one.
		assertThat(tokens(utf8("{\"\\u0061\":1}"))).containsExactly("START_OBJECT", "NAME a",
				"NUMBER 1 long 1 integral", "END_OBJECT");
		assertThat(refusal("{\"a\":1,\"\\u0061\":2}")).isEqualTo(Reason.INVALID_PAYLOAD);
	}

	@Test
	void readsUtf8OfEveryLength() {
		assertThat(tokens(utf8("[\"\u00e9\u0800\u4e2d\uffff\uD800\uDC00\uDBFF\uDFFF\"]")))
			.containsExactly("START_ARRAY", "STRING \u00e9\u0800\u4e2d\uffff\uD800\uDC00\uDBFF\uDFFF", "END_ARRAY");
		assertThat(tokens(utf8("{\"\u4e2d\u6587\":\"\u00e9\"}"))).containsExactly("START_OBJECT", "NAME \u4e2d\u6587",
				"STRING \u00e9", "END_OBJECT");
	}

	@ParameterizedTest
	@ValueSource(strings = { "C0 80", "C1 BF", "80", "BF", "C2", "C2 41", "C2 C2", "E0 80 80", "E0 9F BF", "E0 A0",
			"E0 A0 41", "ED A0 80", "ED BF BF", "EE 41 80", "F0 80 80 80", "F0 8F BF BF", "F0 90 80", "F0 90 80 41",
			"F0 90 41 80", "F4 90 80 80", "F5 80 80 80", "F8 88 80 80 80", "FE", "FF" })
	void refusesBrokenUtf8(String hex) {
		byte[] sequence = java.util.HexFormat.ofDelimiter(" ").parseHex(hex);
		byte[] json = new byte[sequence.length + 4];
		json[0] = '[';
		json[1] = '"';
		System.arraycopy(sequence, 0, json, 2, sequence.length);
		json[json.length - 2] = '"';
		json[json.length - 1] = ']';
		assertThat(refusal(json)).isEqualTo(Reason.BAD_PADDING);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "{", "[", "]", "}", "{]", "[}", "{\"a\"}", "{\"a\" 1}", "{\"a\":}", "{\"a\":1,}",
			"[1,]", "[,1]", "[1 2]", "{,\"a\":1}", "{\"a\":1 \"b\":2}", "{a:1}", "{'a':1}", "['a']", "[01]", "[-01]",
			"[00]", "[1.]", "[.5]", "[-]", "[+1]", "[1e]", "[1e+]", "[1.5e]", "[0x1]", "[NaN]", "[Infinity]", "[tru]",
			"[True]", "[nul]", "[nulll]", "[falsy]", "[\"a]", "[\"a\\\"]", "[\"\\x\"]", "[\"\\u12\"]", "[\"\\u12G4\"]",
			"[\"\\uDC00\"]", "[\"\\uD800\"]", "[\"\\uD800x\"]", "[\"\\uD800\\n\"]", "[\"\\uD800\\u0041\"]",
			"[\"\\uD800\\", "[\"\t\"]", "[\"\n\"]", "[\"\u0000\"]", "[\"\u001f\"]", "\u00a0[]", "[1", "{\"a\":1",
			"[\"a\"", "{\"a\"", "{\"a\":[", "1e", "1E", "1e+", "1.", "-", "1.5e", "\"\\", "\"\\u", "\"\\u004",
			"\"\u00e9" })
	void refusesWhatIsNotJsonAsAKeyThatDoesNotFit(String json) {
		assertThat(refusal(json)).isEqualTo(Reason.BAD_PADDING);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{} {}", "[] 1", "{}x", "1 2", "{}\u0000", "[1]/*c*/", "[1]//c" })
	void refusesAnythingAfterTheDocument(String json) {
		assertThat(refusal(json)).isEqualTo(Reason.INVALID_PAYLOAD);
	}

	@Test
	void refusesANameTwiceInAnyObjectAtAnyDepth() {
		assertThat(refusal("{\"a\":1,\"a\":1}")).isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{\"watermark\":1,\"watermark\":1}")).isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("[{\"b\":{\"c\":[{\"d\":1,\"d\":2}]}}]")).isEqualTo(Reason.INVALID_PAYLOAD);
		// After many names, in the set, whether the first or the ninth comes back.
		String eight = "\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1";
		assertThat(refusal("{" + eight + ",\"a\":1}")).isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{" + eight + ",\"h\":1}")).isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{" + eight + ",\"i\":1,\"i\":1}")).isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{" + eight + ",\"i\":1,\"x\":{\"y\":1,\"y\":1}}")).isEqualTo(Reason.INVALID_PAYLOAD);
		// The parent's names come back into force after a child object.
		assertThat(refusal("{\"a\":{\"b\":1},\"b\":1,\"a\":2}")).isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{" + eight + ",\"i\":{\"j\":1},\"j\":1,\"i\":2}")).isEqualTo(Reason.INVALID_PAYLOAD);
	}

	@Test
	void namesBelongToTheirObjectOnly() {
		String many = "\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1,\"j\":1";
		// Siblings, children and parents may repeat names; the objects after a large one
		// start afresh, at every depth; more names than the first stack holds.
		String json = "{\"x\":[{" + many + "},{\"a\":1,\"b\":{\"a\":1}},{\"a\":1}]," + many
				+ ",\"y\":{\"a\":[{\"a\":1}]," + many.replaceAll("\"(\\w)\"", "\"k$1\"") + "},\"z\":{" + many
				+ ",\"w\":{" + many + "}}}";
		assertThat(tokens(utf8(json))).last().isEqualTo("END_OBJECT");
		// An object below arrays, deeper than any object before it.
		String deep = "{\"a\":" + "[".repeat(10) + "{\"a\":1,\"b\":{\"a\":1}}" + "]".repeat(10) + "}";
		assertThat(tokens(utf8(deep))).hasSize(32);
		assertThat(refusal(deep.replace("\"b\"", "\"a\""))).isEqualTo(Reason.INVALID_PAYLOAD);
	}

	@Test
	void refusesDeeperThanTheLimit() {
		String deepest = "[".repeat(StrictJson.MAX_DEPTH) + "]".repeat(StrictJson.MAX_DEPTH);
		assertThat(tokens(utf8(deepest))).hasSize(2 * StrictJson.MAX_DEPTH);
		String objects = "{\"a\":".repeat(StrictJson.MAX_DEPTH - 1) + "{}" + "}".repeat(StrictJson.MAX_DEPTH - 1);
		assertThat(tokens(utf8(objects))).hasSize(3 * StrictJson.MAX_DEPTH - 1);
		assertThat(refusal("[" + deepest + "]")).isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("{\"a\":" + objects + "}")).isEqualTo(Reason.INVALID_PAYLOAD);
	}

	@Test
	void refusesNumbersLongerThanTheLimit() {
		String longest = "1".repeat(StrictJson.MAX_NUMBER_LENGTH);
		assertThat(tokens(utf8("[" + longest + "]"))).contains("NUMBER " + longest + " integral");
		assertThat(tokens(utf8("[-1." + "5".repeat(StrictJson.MAX_NUMBER_LENGTH - 3) + "]"))).hasSize(3);
		assertThat(refusal("[" + longest + "1]")).isEqualTo(Reason.INVALID_PAYLOAD);
		assertThat(refusal("[-" + longest + "]")).isEqualTo(Reason.INVALID_PAYLOAD);
	}

	@Test
	void skipsChildrenCheckingThem() {
		StrictJson reader = new StrictJson(utf8("{\"a\":{\"b\":[1,{\"c\":[]}],\"d\":{}},\"e\":[[],[2]],\"f\":3}"));
		reader.next();
		reader.next();
		reader.next();
		reader.skipChildren();
		assertThat(reader.token()).isEqualTo(Token.END_OBJECT);
		assertThat(reader.next()).isEqualTo(Token.NAME);
		assertThat(reader.next()).isEqualTo(Token.START_ARRAY);
		reader.skipChildren();
		assertThat(reader.token()).isEqualTo(Token.END_ARRAY);
		reader.next();
		reader.next();
		reader.skipChildren();
		assertThat(reader.token()).isEqualTo(Token.NUMBER);
		assertThat(reader.next()).isEqualTo(Token.END_OBJECT);
		assertThat(reader.next()).isNull();
		StrictJson broken = new StrictJson(utf8("{\"a\":{\"b\":1,\"b\":2}}"));
		broken.next();
		broken.next();
		broken.next();
		assertThatExceptionOfType(OpenDataException.class).isThrownBy(broken::skipChildren);
	}

	@Test
	void readsOneValueWithinBytes() {
		byte[] bytes = utf8("xx{\"a\":[1]}yy");
		StrictJson reader = new StrictJson(bytes, 2, 11);
		assertThat(reader.next()).isEqualTo(Token.START_OBJECT);
		assertThat(reader.tokenStart()).isEqualTo(2);
		reader.next();
		reader.next();
		assertThat(reader.tokenStart()).isEqualTo(7);
		reader.skipChildren();
		assertThat(reader.position()).isEqualTo(10);
		assertThat(reader.next()).isEqualTo(Token.END_OBJECT);
		assertThat(reader.next()).isNull();
		// The end is the end: whatever it cuts is not JSON, whatever the bytes after it.
		for (String whole : new String[] { "\"ab\"", "\"\\u0041\"", "\"\\uD83D\\uDE00\"",
				"\"\u4e2d\u00e9\uD83D\uDE00\"", "\"\\n\"", "true", "false", "null", "[123]", "[1.5e+3]",
				"{\"a\":\"b\"}" }) {
			byte[] json = utf8(whole);
			assertThat(tokens(json)).isNotEmpty();
			for (int cut = 0; cut < json.length; cut++) {
				int end = cut;
				assertThatExceptionOfType(OpenDataException.class).as(whole + " cut at " + cut)
					.isThrownBy(() -> drain(new StrictJson(json, 0, end)));
			}
		}
	}

	private static void drain(StrictJson reader) {
		while (reader.next() != null) {
			// every token checked, none kept
		}
	}

	@Test
	void handsOutWeChatsNamesAsConstants() {
		StrictJson reader = new StrictJson(utf8("{\"watermark\":{\"appid\":1,\"timestamp\":2},\"phoneNumber\":3}"));
		reader.next();
		reader.next();
		assertThat(reader.name()).isSameAs("watermark");
		reader.next();
		reader.next();
		assertThat(reader.name()).isSameAs("appid");
		reader.next();
		reader.next();
		assertThat(reader.name()).isSameAs("timestamp");
		reader.next();
		reader.next();
		reader.next();
		assertThat(reader.name()).isSameAs("phoneNumber");
		for (String name : new String[] { "", "w", "watermarks", "Watermark", "watermarK", "phoneNumbe", "x\u4e2d" }) {
			byte[] bytes = utf8(name);
			assertThat(StrictJson.KnownNames.find(bytes, 0, bytes.length)).as(name).isNull();
		}
	}

	// The same verdict and the same tokens as Jackson's strict parser

	private static final JsonFactory JACKSON = JsonFactory.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private static final String[] PARTS = { "{", "}", "[", "]", ",", ":", "\"a\"", "\"b\"", "\"watermark\"", "1", "-0",
			"12.5e-3", "01", "1.", "true", "false", "null", "\"\\u00e9\"", "\"\\uD83D\\uDE00\"", "\"\u4e2d\"",
			"\"\\n\"", " ", "\"", "\\", "x", "\u00e9", "9223372036854775808" };

	@Test
	void agreesWithJacksonsStrictParser() {
		Gen<String> documents = lists().of(Generate.pick(List.of(PARTS)))
			.ofSizeBetween(1, 24)
			.map((parts) -> String.join("", parts));
		Gen<String> wellFormed = integers().between(0, 1_000_000).map(StrictJsonTests::wellFormed);
		qt().withExamples(20_000).forAll(documents.mix(wellFormed, 30)).checkAssert((json) -> {
			byte[] bytes = utf8(json);
			List<String> jackson = jackson(bytes);
			if (jackson == null) {
				assertThatExceptionOfType(OpenDataException.class).as(json).isThrownBy(() -> tokens(bytes));
			}
			else {
				assertThat(tokens(bytes)).as(json).isEqualTo(jackson);
			}
		});
	}

	/** A well-formed document, so that the agreement is not only on refusals. */
	private static String wellFormed(int seed) {
		StringBuilder json = new StringBuilder();
		value(json, seed, 0);
		return json.toString();
	}

	private static void value(StringBuilder json, int seed, int depth) {
		int kind = (seed >>> (depth * 3)) % 7;
		if (depth > 5) {
			kind = kind % 3 + 4;
		}
		switch (kind) {
			case 0, 1 -> {
				json.append('{');
				for (int i = 0; i < (seed >>> depth) % 4; i++) {
					json.append((i > 0) ? "," : "").append("\"n").append((seed >>> i) % 3).append(i).append("\":");
					value(json, seed + i * 7919, depth + 1);
				}
				json.append('}');
			}
			case 2, 3 -> {
				json.append('[');
				for (int i = 0; i < (seed >>> depth) % 3; i++) {
					json.append((i > 0) ? "," : "");
					value(json, seed + i * 104729, depth + 1);
				}
				json.append(']');
			}
			case 4 -> json.append(seed % 2000 - 1000);
			case 5 -> json.append("\"s").append(seed % 97).append("\\t\"");
			default -> json.append((seed % 2 == 0) ? "true" : "null");
		}
	}

	/** Jackson's tokens, or {@code null} when it refuses the document. */
	private static List<String> jackson(byte[] json) {
		List<String> tokens = new ArrayList<>();
		try (JsonParser parser = JACKSON.createParser(ObjectReadContext.empty(), json)) {
			for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
				tokens.add(switch (token) {
					case PROPERTY_NAME -> "NAME " + parser.currentName();
					case VALUE_STRING -> "STRING " + parser.getString();
					case VALUE_NUMBER_INT ->
						"NUMBER " + parser.getString() + ((parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER)
								? " long " + parser.getLongValue() : "") + " integral";
					case VALUE_NUMBER_FLOAT -> "NUMBER " + parser.getString();
					case VALUE_TRUE -> "TRUE";
					case VALUE_FALSE -> "FALSE";
					case VALUE_NULL -> "NULL";
					default -> token.name();
				});
				if (parser.streamReadContext().inRoot() && parser.nextToken() != null) {
					// Jackson reads a second document; one is all JSON is.
					return null;
				}
			}
			// Nothing but whitespace is no document.
			return tokens.isEmpty() ? null : tokens;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
