package io.github.wechatminiapp.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.sample.HostileHttp.Case;
import io.github.wechatminiapp.sample.HostileHttp.Endpoint;
import io.github.wechatminiapp.sample.HostileHttp.Expect;
import io.github.wechatminiapp.sample.HostileHttp.Reply;
import io.github.wechatminiapp.sample.HostileHttp.Request;
import io.github.wechatminiapp.sample.sandbox.SandboxMode;
import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.Fault;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import io.github.wechatminiapp.token.CachingAccessTokenProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static io.github.wechatminiapp.sample.HostileHttp.Expect.anyOf;
import static io.github.wechatminiapp.sample.HostileHttp.Expect.clientError;
import static io.github.wechatminiapp.sample.HostileHttp.Expect.error;
import static io.github.wechatminiapp.sample.HostileHttp.Expect.ok;
import static io.github.wechatminiapp.sample.HostileHttp.Expect.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * Thousands of generated hostile requests against the running app, over real HTTP on
 * loopback, with valid ones mixed in: damaged, foreign, stale and forged
 * {@code encryptedData}; codes with Unicode tricks, URL syntax and absurd lengths;
 * malformed JSON, wrong JSON types, wrong content types and tokens. Every answer is below
 * 500, JSON in the app's error shape, THE one body for every failed decryption, and free
 * of stack traces, session keys, the app secret and the access token; the valid requests
 * still get the right phone number.
 *
 * <p>
 * Each test is a QuickTheories property: {@code qt()} generates the recipes, a recipe
 * becomes a request, and the first failing one is shrunk a little and reported with the
 * QuickTheories seed; {@code -DQT_SEED=<seed>} replays the same recipes. Counters taken
 * while it runs then check that every kind of recipe and enough valid requests were among
 * them.
 */
@ActiveProfiles("sandbox")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.address=127.0.0.1",
		// One INFO line per rejected payload would drown the output.
		"logging.level.io.github.wechatminiapp.sample.ApiExceptionHandler=warn",
		// Thousands of hostile payloads from the same few users: the failure budget
		// (tested in the starter) would
		// drop their keys after five, and every later valid request would be a
		// login-required answer.
		"wechat.miniapp.session.decryption-failure-budget=2147483647",
		// Hundreds of logins of the same users: the bound of live tokens per user (tested
		// in the starter) would
		// revoke the tokens the phone cases use.
		"wechat.miniapp.security.token.max-per-user=0" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {

	/** The starter's default {@code wechat.miniapp.watermark.max-age}. */
	private static final Duration WATERMARK_MAX_AGE = Duration.ofMinutes(5);

	/** What the starter accepts as a code before asking WeChat. */
	private static final Pattern CODE = Pattern.compile("[\\x21-\\x7E]{1,128}");

	private static final String BASE64_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	/**
	 * Characters that look like nothing, like something else, or reverse the text around
	 * them.
	 */
	private static final List<String> TRICKS = List.of("\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u202E",
			"\u202D", "\u2066", "\u2069", "\u0000", "\u0001", "\u001B", "\u007F", "\u0085", "\u00A0", "\u00AD",
			"\u2028", "\u2029", "\u3000", " ", "\t", "\n", "\r\n", "\u0301", "\uD83D\uDE00",
			"\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "\uD83C\uDDE8\uD83C\uDDF3", "\uFF21", "\uFF10",
			"\u0430", "\u0131", "\uFB00", "\uFFFD", "\uFFFF", "\\", "\"", "\\u0000");

	private static final Map<String, Expect> BAD_CONTENT_TYPES = new LinkedHashMap<>();

	private static final List<String> ODD_CONTENT_TYPES = List.of("*/*", "application/*", "garbage", "application/",
			"application/json;charset=bogus", "application/json;charset=", "application/json; charset=UTF-16",
			"application/json; charset=UTF-32", "application/json; charset=ISO-8859-1", "text/json",
			"application/problem+json", "application/vnd.api+json", "application/json;q=0.5",
			"application/json, text/plain", "application/json;;;", "application/json; boundary=\"x\"");

	private static final List<String> GOOD_CONTENT_TYPES = List.of("application/json", "application/json;charset=UTF-8",
			"application/json; charset=utf-8", "APPLICATION/JSON", "Application/Json; Charset=\"UTF-8\"");

	private static final List<String> GOOD_ACCEPTS = List.of("application/json", "*/*", "application/*",
			"application/json, text/plain, */*", "text/html, application/json;q=0.9");

	private static final List<String> ODD_ACCEPTS = List.of("text/html", "application/xml", "text/plain", "image/png",
			"garbage", "*/*;q=0", "application/json;q=0", "text/event-stream", "application/problem+json");

	static {
		Expect unsupported = error(415, "unsupported_media_type");
		for (String type : List.of("text/plain", "text/html", "application/x-www-form-urlencoded",
				"multipart/form-data; boundary=----x", "application/xml", "application/octet-stream")) {
			BAD_CONTENT_TYPES.put(type, unsupported);
		}
	}

	/**
	 * A failing recipe is shrunk this many times at most: each try is a request, and the
	 * default, a hundred per example, would mean up to 80,000 of them.
	 */
	private static final int SHRINK_CYCLES = 200;

	/** Reads JSON as miniAppLogin() does: a key twice in one object is an error. */
	private static final JsonMapper STRICT_JSON = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	@LocalServerPort
	int port;

	@Autowired
	SandboxMode sandboxMode;

	@Autowired
	MiniApps apps;

	private WeChatSandbox sandbox;

	/**
	 * The access tokens of the app of the properties' app-id, the one the API serves
	 * without a Referer.
	 */
	private CachingAccessTokenProvider accessTokens() {
		return (CachingAccessTokenProvider) this.apps.app(this.sandbox.appId()).accessTokens();
	}

	private HostileHttp http;

	/** Decrypts her own phone number. */
	private WeChatSandboxUser alice;

	/** Another user, whose data alice sends. */
	private WeChatSandboxUser bob;

	/**
	 * Logged in, then WeChat rotated her session key: what she sends no longer decrypts.
	 */
	private WeChatSandboxUser carol;

	/** Sends codes and odd bodies. */
	private WeChatSandboxUser dave;

	private String aliceToken;

	private String carolToken;

	private String daveToken;

	/**
	 * Every session key of the users above, their bearer tokens, the app secret and the
	 * access token.
	 */
	private final Set<String> secrets = new LinkedHashSet<>();

	@BeforeAll
	void createUsers() {
		this.sandbox = this.sandboxMode.sandbox();
		this.http = new HostileHttp(this.port);
		this.alice = this.sandbox.createUser();
		this.bob = this.sandbox.createUser("2025550123", "1");
		this.carol = this.sandbox.createUser();
		this.dave = this.sandbox.createUser();
		this.aliceToken = login(this.alice);
		login(this.bob);
		this.carolToken = login(this.carol);
		this.daveToken = login(this.dave);
		this.secrets.add(this.sandbox.sessionKey(this.carol));
		this.sandbox.rotateSessionKey(this.carol);
		// A phone code makes the app fetch its access token, which no answer may show
		// either.
		Reply phone = this.http
			.send(Request.json(Endpoint.PHONE, json("code", this.sandbox.phoneCode(this.dave)), this.daveToken));
		assertThat(phone.status()).as(phone.toString()).isEqualTo(200);
		for (WeChatSandboxUser user : List.of(this.alice, this.bob, this.carol, this.dave)) {
			this.secrets.add(this.sandbox.sessionKey(user));
		}
		this.secrets.add(this.sandbox.appSecret());
		this.secrets.add(accessTokens().cachedToken().orElseThrow().value());
		// No answer shows a token, not even one the request sent (a bad-token case sends
		// variants of dave's).
		this.secrets.addAll(List.of(this.aliceToken, this.carolToken, this.daveToken));
		for (String secret : List.copyOf(this.secrets)) {
			this.secrets.add(secret.replace('+', '-').replace('/', '_'));
			if (secret.endsWith("=")) {
				this.secrets.add(secret.replace("=", ""));
			}
		}
	}

	/**
	 * A property: this many generated examples, shrunk {@link #SHRINK_CYCLES} times at
	 * most when one fails.
	 */
	private static QuickTheory property(int examples) {
		return qt().withExamples(examples).withShrinkCycles(SHRINK_CYCLES);
	}

	// encryptedData and iv

	enum DataKind {

		// Valid, or damaged only in the ways the starter repairs: the right number.
		FRESH, URL_SAFE_BASE64, LINE_BREAKS, PLUS_AS_SPACE, UNPADDED_DATA, RECENT_WATERMARK, EXTRA_FIELDS,
		// Well-formed but not this user's, not this app's, not fresh or not a phone
		// number: THE one 422.
		OTHER_USERS_DATA, OTHER_APP_ID, OLD_WATERMARK, ROTATED_SESSION_KEY, NOT_A_PHONE_PAYLOAD, BROKEN_PHONE_PAYLOAD,
		ODD_TIMESTAMP,
		// Damaged: THE one 422, or a missing-field 400 when blank.
		TRUNCATED, PADDED, WRONG_LENGTH_IV, RANDOM_IV, BIT_FLIP_DATA, BIT_FLIP_IV, NOT_BASE64, HUGE, BLANK_OR_MISSING

	}

	record DataRecipe(DataKind kind, String hostile, String json, int n, long seed) {
	}

	@Test
	void encryptedDataGivesTheRightNumberOrTheOneRejection() {
		Tally tally = new Tally();
		property(800).forAll(dataRecipes()).checkAssert((recipe) -> {
			Reply reply = run(dataCase(recipe));
			tally.count("kind", recipe.kind());
			tally.count("succeeded", reply.status() == 200);
		});
		tally.report("encryptedData and iv");
		// QuickTheories skips a recipe it has already generated: a few of the 800 may not
		// run, no more.
		tally.assertAtLeast(790, "succeeded", true, false);
		tally.assertAtLeast(50, "succeeded", true);
		tally.assertAtLeast(300, "succeeded", false);
		for (DataKind kind : DataKind.values()) {
			tally.assertAtLeast(1, "kind", kind);
		}
	}

	private static Gen<DataRecipe> dataRecipes() {
		return Generate.enumValues(DataKind.class)
			.zip(hostileStrings(), jsonTexts(), integers().between(0, Integer.MAX_VALUE), longs().all(),
					DataRecipe::new);
	}

	private Case dataCase(DataRecipe r) {
		Random random = new Random(r.seed());
		EncryptedData fresh = this.sandbox.encryptPhoneNumber(this.alice);
		String data = fresh.encryptedData();
		String iv = fresh.iv();
		String kind = r.kind().name();
		return switch (r.kind()) {
			case FRESH -> phoneData(kind, data, iv, ok(Endpoint.PHONE, this.alice));
			case URL_SAFE_BASE64 -> phoneData(kind, urlSafe(data), urlSafe(iv), ok(Endpoint.PHONE, this.alice));
			case LINE_BREAKS ->
				phoneData(kind, lineBreaks(data, random), lineBreaks(iv, random), ok(Endpoint.PHONE, this.alice));
			case PLUS_AS_SPACE ->
				phoneData(kind, data.replace('+', ' '), iv.replace('+', ' '), ok(Endpoint.PHONE, this.alice));
			case UNPADDED_DATA -> phoneData(kind, data.replace("=", ""), iv, ok(Endpoint.PHONE, this.alice));
			case RECENT_WATERMARK -> {
				// Up to 4 minutes old, or ahead by as much (a clock skew): within the
				// default 5 minutes.
				EncryptedData recent = this.sandbox.encryptPhoneNumber(this.alice, this.sandbox.appId(),
						Instant.now().plusSeconds(r.n() % 481 - 240));
				yield phoneData(kind, recent.encryptedData(), recent.iv(), ok(Endpoint.PHONE, this.alice));
			}
			case EXTRA_FIELDS -> {
				// The openid comes from the session, never from the body.
				Map<String, Object> body = new LinkedHashMap<>();
				body.put("x-" + r.hostile(), r.hostile());
				body.put("openid", this.bob.openid());
				body.put("sessionKey", r.hostile());
				body.put("encryptedData", data);
				body.put("iv", iv);
				yield new Case(kind,
						Request.json(Endpoint.PHONE, ApiClient.JSON.writeValueAsString(body), this.aliceToken),
						ok(Endpoint.PHONE, this.alice));
			}
			case OTHER_USERS_DATA -> {
				EncryptedData bobs = this.sandbox.encryptPhoneNumber(this.bob);
				yield phoneData(kind, bobs.encryptedData(), bobs.iv(), rejected());
			}
			case OTHER_APP_ID -> {
				EncryptedData foreign = this.sandbox.encryptPhoneNumber(this.alice, otherAppId(r, random),
						Instant.now());
				yield phoneData(kind, foreign.encryptedData(), foreign.iv(), rejected());
			}
			case OLD_WATERMARK -> {
				long tooOld = WATERMARK_MAX_AGE.toSeconds() + 10 + (r.n() % (10L * 365 * 24 * 3600));
				EncryptedData old = this.sandbox.encryptPhoneNumber(this.alice, this.sandbox.appId(),
						Instant.now().minusSeconds(tooOld));
				yield phoneData(kind, old.encryptedData(), old.iv(), rejected());
			}
			case ROTATED_SESSION_KEY -> {
				EncryptedData stale = this.sandbox.encryptPhoneNumber(this.carol);
				yield new Case(kind,
						Request.json(Endpoint.PHONE, dataJson(stale.encryptedData(), stale.iv()), this.carolToken),
						rejected());
			}
			case NOT_A_PHONE_PAYLOAD -> {
				String plaintext = (r.n() % 3 == 0) ? r.hostile() : r.json();
				EncryptedData other = this.sandbox.encrypt(this.alice, plaintext);
				yield phoneData(kind + ((r.n() % 3 == 0) ? "/text" : "/json"), other.encryptedData(), other.iv(),
						rejected());
			}
			case BROKEN_PHONE_PAYLOAD -> {
				EncryptedData broken = this.sandbox.encrypt(this.alice, brokenPhonePayload(r.n()));
				yield phoneData(kind, broken.encryptedData(), broken.iv(), rejected());
			}
			case ODD_TIMESTAMP -> oddTimestamp(r);
			case TRUNCATED -> {
				boolean truncateIv = r.n() % 4 == 0;
				String target = truncateIv ? iv : data;
				int cut = 1 + (int) ((r.seed() >>> 1) % (target.length() - 1));
				// Dropping all the padding is harmless; dropping half of "==" leaves
				// Base64 that does not decode.
				boolean onlyPadding = target.substring(cut).chars().allMatch((ch) -> ch == '=')
						&& target.charAt(cut - 1) != '=';
				yield truncateIv ? phoneData(kind + "/iv", data, target.substring(0, cut), rejected())
						: phoneData(kind + "/data", target.substring(0, cut), iv,
								onlyPadding ? ok(Endpoint.PHONE, this.alice) : rejected());
			}
			case PADDED -> {
				StringBuilder padding = new StringBuilder();
				String alphabet = "=A+/.\t #%\u00A0\u200B";
				for (int i = 0; i <= r.n() % 8; i++) {
					padding.append(alphabet.charAt(random.nextInt(alphabet.length())));
				}
				boolean before = random.nextBoolean();
				boolean padIv = random.nextInt(3) == 0;
				String target = padIv ? iv : data;
				String padded = before ? padding + target : target + padding;
				yield padIv ? phoneData(kind + "/iv", data, padded, rejected())
						: phoneData(kind + "/data", padded, iv, rejected());
			}
			case WRONG_LENGTH_IV -> {
				int length = 1 + r.n() % 48;
				byte[] bytes = new byte[(length == 16) ? 17 : length];
				random.nextBytes(bytes);
				yield phoneData(kind, data, Base64.getEncoder().encodeToString(bytes), rejected());
			}
			case RANDOM_IV -> {
				byte[] bytes = new byte[16];
				random.nextBytes(bytes);
				yield phoneData(kind, data, Base64.getEncoder().encodeToString(bytes), rejected());
			}
			case BIT_FLIP_DATA -> phoneData(kind, flipBit(data, r.n()), iv, rejected());
			// A flipped iv bit changes only the first plaintext block, {"phoneNumber":",
			// and no MAC guards it: the
			// starter requires all three fields and a phoneNumber ending with
			// purePhoneNumber, so whatever it still
			// accepts must be alice's full, right number.
			case BIT_FLIP_IV ->
				phoneData(kind, data, flipBit(iv, r.n()), anyOf(rejected(), ok(Endpoint.PHONE, this.alice)));
			case NOT_BASE64 -> {
				int which = r.n() % 3;
				String garbageData = (which != 1) ? r.hostile() : data;
				String garbageIv = (which != 0) ? r.hostile() : iv;
				boolean blank = garbageData.isBlank() || garbageIv.isBlank();
				yield phoneData(kind, garbageData, garbageIv, blank ? error(400, "invalid_request") : rejected())
					.probing(r.hostile());
			}
			case HUGE -> {
				int length = 30_000 + r.n() % 70_000;
				StringBuilder huge = new StringBuilder(length);
				while (huge.length() < length) {
					huge.append((random.nextInt(4) == 0) ? data : BASE64_CHARS.charAt(random.nextInt(64)));
				}
				boolean hugeIv = random.nextInt(4) == 0;
				yield hugeIv ? phoneData(kind + "/iv", data, huge.toString(), rejected())
						: phoneData(kind + "/data", huge.toString(), iv, rejected());
			}
			case BLANK_OR_MISSING -> blankOrMissing(r, data, iv);
		};
	}

	/**
	 * Timestamps no clock shows, and ones a year or a century ahead: the starter must
	 * refuse them, never fail. Its window is now ± the maximum age, so a watermark from
	 * the future is no replay window that never closes.
	 */
	private Case oddTimestamp(DataRecipe r) {
		long now = Instant.now().getEpochSecond();
		List<String> refused = List.of(Long.toString(Long.MAX_VALUE), Long.toString(Long.MIN_VALUE),
				"100000000000000000000000000000", "-100000000000000000000000000000", "0", "-1",
				// Instant.MAX and just below it: the age check must not overflow adding
				// the maximum age.
				"31556889864403199", "31556889864403000", "31556889864403200", "-31557014167219200",
				"-31557014167219201", "1e3", now + ".0", "1" + "0".repeat(400));
		List<String> future = List.of(Long.toString(now + 365L * 24 * 3600),
				Long.toString(now + 100L * 365 * 24 * 3600));
		int index = r.n() % (refused.size() + future.size());
		boolean inFuture = index >= refused.size();
		String timestamp = inFuture ? future.get(index - refused.size()) : refused.get(index);
		String plaintext = "{\"phoneNumber\":" + quote(this.alice.phoneNumber()) + ",\"purePhoneNumber\":"
				+ quote(this.alice.purePhoneNumber()) + ",\"countryCode\":" + quote(this.alice.countryCode())
				+ ",\"watermark\":{\"timestamp\":" + timestamp + ",\"appid\":" + quote(this.sandbox.appId()) + "}}";
		EncryptedData odds = this.sandbox.encrypt(this.alice, plaintext);
		return phoneData("ODD_TIMESTAMP/" + (inFuture ? "future" : abbreviateTimestamp(timestamp)),
				odds.encryptedData(), odds.iv(), rejected());
	}

	private static String abbreviateTimestamp(String timestamp) {
		return (timestamp.length() > 32) ? timestamp.substring(0, 8) + "...(" + timestamp.length() + " digits)"
				: timestamp;
	}

	private Case blankOrMissing(DataRecipe r, String data, String iv) {
		List<String> blanks = List.of("", " ", "\t", "\n", "\u2003", "\u3000", "   \r\n  ");
		String blank = blanks.get(r.n() % blanks.size());
		return switch ((r.n() / blanks.size()) % 4) {
			case 0 -> phoneData("BLANK_OR_MISSING/data", blank, iv, error(400, "invalid_request"));
			case 1 -> phoneData("BLANK_OR_MISSING/iv", data, blank, error(400, "invalid_request"));
			case 2 -> new Case("BLANK_OR_MISSING/no-iv",
					Request.json(Endpoint.PHONE, json("encryptedData", data), this.aliceToken),
					error(400, "invalid_request"));
			default -> new Case("BLANK_OR_MISSING/no-data",
					Request.json(Endpoint.PHONE, json("iv", iv), this.aliceToken), error(400, "invalid_request"));
		};
	}

	private String otherAppId(DataRecipe r, Random random) {
		String ours = this.sandbox.appId();
		List<String> others = new ArrayList<>(List.of(ours.toUpperCase(Locale.ROOT),
				"wx" + ours.substring(2).toUpperCase(Locale.ROOT), ours + " ", " " + ours, ours + "\u200B",
				ours.substring(0, ours.length() - 1), "", "null", ours + ours, "\uFF57\uFF58" + ours.substring(2)));
		byte[] hex = new byte[8];
		random.nextBytes(hex);
		others.add("wx" + HexFormat.of().formatHex(hex));
		others.add(r.hostile());
		String other = others.get(r.n() % others.size());
		return other.equals(ours) ? ours + "0" : other;
	}

	/** A phone-number payload, fresh and for this app, with exactly one thing wrong. */
	private String brokenPhonePayload(int variant) {
		Map<String, Object> watermark = new LinkedHashMap<>();
		watermark.put("timestamp", Instant.now().getEpochSecond());
		watermark.put("appid", this.sandbox.appId());
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("phoneNumber", this.alice.phoneNumber());
		payload.put("purePhoneNumber", this.alice.purePhoneNumber());
		payload.put("countryCode", this.alice.countryCode());
		payload.put("watermark", watermark);
		switch (variant % 16) {
			case 0 -> payload.remove("purePhoneNumber");
			case 1 -> payload.put("purePhoneNumber", null);
			case 2 -> payload.put("purePhoneNumber", List.of(this.alice.purePhoneNumber()));
			case 3 -> payload.put("purePhoneNumber", Map.of("value", this.alice.purePhoneNumber()));
			case 4 -> payload.remove("watermark");
			case 5 -> payload.put("watermark", this.sandbox.appId());
			case 6 -> payload.put("watermark", List.of(watermark));
			case 7 -> watermark.remove("appid");
			case 8 -> watermark.put("appid", 123);
			case 9 -> watermark.put("appid", List.of(this.sandbox.appId()));
			case 10 -> watermark.remove("timestamp");
			case 11 -> watermark.put("timestamp", Long.toString(Instant.now().getEpochSecond()));
			case 12 -> watermark.put("timestamp", Instant.now().getEpochSecond() + 0.5);
			case 13 -> watermark.put("timestamp", null);
			case 14 -> watermark.put("appid", null);
			default -> {
				return ApiClient.JSON.writeValueAsString(List.of(payload));
			}
		}
		return ApiClient.JSON.writeValueAsString(payload);
	}

	// Codes

	enum CodeKind {

		VALID, REPLAYED, TRICK_IN_VALID_CODE, FULLWIDTH_VALID_CODE, ANY_STRING, VISIBLE_ASCII, TOO_LONG,
		URL_SYNTAX_AFTER_VALID_CODE, UNKNOWN_TO_WECHAT

	}

	record CodeRecipe(CodeKind kind, boolean login, String hostile, String ascii, int n) {
	}

	@Test
	void codesAreCheckedBeforeWeChatOrMappedFromIt() {
		Tally tally = new Tally();
		property(700).forAll(codeRecipes()).checkAssert((recipe) -> {
			Reply reply = run(codeCase(recipe));
			tally.count("kind", recipe.kind());
			tally.count("outcome", reply.status() + " " + ((reply.status() == 200) ? "ok" : reply.error()));
		});
		tally.report("codes");
		tally.assertAtLeast(690, "kind", (Object[]) CodeKind.values());
		tally.assertAtLeast(30, "outcome", "200 ok");
		tally.assertAtLeast(100, "outcome", "400 invalid_request");
		tally.assertAtLeast(100, "outcome", "400 refused", "401 invalid_code");
		tally.assertAtLeast(30, "outcome", "400 refused");
		tally.assertAtLeast(30, "outcome", "401 invalid_code");
		for (CodeKind kind : CodeKind.values()) {
			tally.assertAtLeast(1, "kind", kind);
		}
	}

	private static Gen<CodeRecipe> codeRecipes() {
		Gen<CodeKind> kinds = Generate.enumValues(CodeKind.class);
		Gen<Boolean> logins = booleans().all();
		Gen<String> hostile = hostileStrings();
		Gen<String> ascii = strings().betweenCodePoints('!', '~').ofLengthBetween(1, 128);
		Gen<Integer> numbers = integers().between(0, Integer.MAX_VALUE);
		return (source) -> new CodeRecipe(kinds.generate(source), logins.generate(source), hostile.generate(source),
				ascii.generate(source), numbers.generate(source));
	}

	private Case codeCase(CodeRecipe r) {
		Endpoint endpoint = r.login() ? Endpoint.LOGIN : Endpoint.PHONE;
		String kind = r.kind().name() + "/" + endpoint;
		return switch (r.kind()) {
			case VALID -> codeCase(kind, endpoint, freshCode(endpoint), ok(endpoint, this.dave));
			case REPLAYED -> {
				String code = freshCode(endpoint);
				Reply first = this.http.send(Request.json(endpoint, json("code", code), tokenFor(endpoint)));
				assertThat(first.status()).as(first.toString()).isEqualTo(200);
				// A login code sent again within the replay window is the same login (a
				// double tap, a retried
				// request); a phone code is spent.
				yield codeCase(kind, endpoint, code, r.login() ? ok(endpoint, this.dave) : invalidCode(endpoint));
			}
			case TRICK_IN_VALID_CODE -> {
				String code = freshCode(endpoint);
				String trick = TRICKS.get(r.n() % TRICKS.size());
				int at = (r.n() / TRICKS.size()) % (code.length() + 1);
				String tricked = code.substring(0, at) + trick + code.substring(at);
				// "\\u0000" and the like are visible ASCII: a well-formed code WeChat
				// does not know.
				yield CODE.matcher(tricked).matches() ? codeCase(kind, endpoint, tricked, invalidCode(endpoint))
						: codeCase(kind, endpoint, tricked, error(400, "invalid_request")).offline();
			}
			case FULLWIDTH_VALID_CODE -> {
				StringBuilder fullwidth = new StringBuilder();
				freshCode(endpoint).chars().forEach((ch) -> fullwidth.append((char) (ch + 0xFEE0)));
				yield codeCase(kind, endpoint, fullwidth.toString(), error(400, "invalid_request")).offline();
			}
			case ANY_STRING ->
				CODE.matcher(r.hostile()).matches() ? codeCase(kind, endpoint, r.hostile(), invalidCode(endpoint))
						: codeCase(kind, endpoint, r.hostile(), error(400, "invalid_request")).offline();
			case VISIBLE_ASCII -> codeCase(kind, endpoint, r.ascii(), invalidCode(endpoint));
			case TOO_LONG -> {
				String base = (r.n() % 2 == 0) ? freshCode(endpoint) : r.ascii();
				String code = base.repeat(1 + 128 / base.length() + r.n() % 300);
				yield codeCase(kind, endpoint, code, error(400, "invalid_request")).offline();
			}
			case URL_SYNTAX_AFTER_VALID_CODE -> {
				// Sent raw in the query string, any of these would leave WeChat seeing
				// the valid code alone.
				List<String> suffixes = List.of("&x=1", "#x", "&js_code=x", "&grant_type=x", "?x", "%26x=1", ";x", "&",
						"#", "+", "%20", "%00", "/../x");
				String code = freshCode(endpoint) + suffixes.get(r.n() % suffixes.size());
				yield codeCase(kind, endpoint, code, invalidCode(endpoint));
			}
			case UNKNOWN_TO_WECHAT -> {
				int errcode = (r.n() % 2 == 0) ? 40029 : 40163;
				this.sandbox.enqueueFault(
						r.login() ? WeChatEndpoint.JSCODE2SESSION : WeChatEndpoint.GET_USER_PHONE_NUMBER,
						Fault.errcode(errcode, "invalid code, rid: " + r.ascii()));
				yield codeCase(kind + "/" + errcode, endpoint, freshCode(endpoint), invalidCode(endpoint));
			}
		};
	}

	/**
	 * A code WeChat refuses: the login is not authenticated (401 {@code invalid_code}), a
	 * phone code is input WeChat refused (400 {@code refused}).
	 */
	private static Expect invalidCode(Endpoint endpoint) {
		return (endpoint == Endpoint.LOGIN) ? error(401, "invalid_code") : error(400, "refused");
	}

	private Case codeCase(String kind, Endpoint endpoint, String code, Expect expect) {
		return new Case(kind, Request.json(endpoint, json("code", code), tokenFor(endpoint)), expect).probing(code);
	}

	private String freshCode(Endpoint endpoint) {
		return (endpoint == Endpoint.LOGIN) ? this.sandbox.loginCode(this.dave) : this.sandbox.phoneCode(this.dave);
	}

	/** A login needs no token; the phone endpoint needs dave's. */
	private String tokenFor(Endpoint endpoint) {
		return (endpoint == Endpoint.PHONE) ? this.daveToken : null;
	}

	// Bodies, types, content types and tokens

	enum BodyKind {

		VALID_VARIANT, GOOD_CONTENT_TYPE, BAD_CONTENT_TYPE, ODD_CONTENT_TYPE, NO_CONTENT_TYPE, ODD_ACCEPT,
		TRUNCATED_JSON, TRAILING_GARBAGE, NOT_QUITE_JSON, RANDOM_BYTES, INVALID_UTF8, EMPTY_BODY, WRONG_TYPES,
		TOP_LEVEL_NOT_AN_OBJECT, DEEP_NESTING, HUGE_BODY, DUPLICATE_KEYS, BAD_TOKEN

	}

	record BodyRecipe(BodyKind kind, boolean login, String hostile, String json, int n, long seed) {
	}

	@Test
	void malformedBodiesWrongTypesAndContentTypesAreClientErrors() {
		Tally tally = new Tally();
		property(700).forAll(bodyRecipes()).checkAssert((recipe) -> {
			Reply reply = run(bodyCase(recipe));
			tally.count("kind", recipe.kind());
			tally.count("status", reply.status());
		});
		tally.report("bodies, types, content types and tokens");
		tally.assertAtLeast(690, "kind", (Object[]) BodyKind.values());
		tally.assertAtLeast(30, "status", 200);
		tally.assertAtLeast(100, "status", 400);
		tally.assertAtLeast(1, "status", 415);
		tally.assertAtLeast(1, "status", 401);
		for (BodyKind kind : BodyKind.values()) {
			tally.assertAtLeast(1, "kind", kind);
		}
	}

	private static Gen<BodyRecipe> bodyRecipes() {
		Gen<BodyKind> kinds = Generate.enumValues(BodyKind.class);
		Gen<Boolean> logins = booleans().all();
		Gen<String> hostile = hostileStrings();
		Gen<String> json = jsonTexts();
		Gen<Integer> numbers = integers().between(0, Integer.MAX_VALUE);
		Gen<Long> seeds = longs().all();
		return (source) -> new BodyRecipe(kinds.generate(source), logins.generate(source), hostile.generate(source),
				json.generate(source), numbers.generate(source), seeds.generate(source));
	}

	private Case bodyCase(BodyRecipe r) {
		Random random = new Random(r.seed());
		Endpoint endpoint = r.login() ? Endpoint.LOGIN : Endpoint.PHONE;
		String kind = r.kind().name() + "/" + endpoint;
		String validJson = validBody(endpoint, r.n());
		Request valid = Request.json(endpoint, validJson, tokenFor(endpoint));
		Expect ok = ok(endpoint, this.dave);
		Expect okOr400 = anyOf(ok, error(400));
		return switch (r.kind()) {
			case VALID_VARIANT -> {
				String padding = " \r\n\t".repeat(r.n() % 12_500);
				String rest = validJson.substring(1);
				String body = switch (r.n() % 4) {
					case 0 -> padding + validJson + padding;
					case 1 -> "{" + quote("x-" + r.hostile()) + ":" + r.json() + "," + rest;
					case 2 -> "{\"openid\":" + quote(this.bob.openid()) + ",\"session_key\":" + quote(r.hostile()) + ","
							+ rest;
					default -> "{\"junk\":" + quote("x".repeat(r.n() % 100_000)) + "," + rest;
				};
				// miniAppLogin() reads a login body with duplicate keys refused anywhere
				// in it, even in junk it skips.
				Expect expect = (endpoint == Endpoint.LOGIN && r.n() % 4 == 1 && hasDuplicateKeys(r.json()))
						? error(400, "invalid_request") : ok;
				yield new Case(kind, valid.withBody(utf8(body)).withAccept(pick(GOOD_ACCEPTS, r.n() / 4)), expect);
			}
			case GOOD_CONTENT_TYPE -> new Case(kind, valid.withContentType(pick(GOOD_CONTENT_TYPES, r.n())), ok);
			case BAD_CONTENT_TYPE -> {
				String type = pick(List.copyOf(BAD_CONTENT_TYPES.keySet()), r.n());
				yield new Case(kind + "/" + type, valid.withContentType(type), BAD_CONTENT_TYPES.get(type));
			}
			case ODD_CONTENT_TYPE -> {
				String type = pick(ODD_CONTENT_TYPES, r.n());
				yield new Case(kind + "/" + type, valid.withContentType(type), anyOf(ok, clientError()));
			}
			case NO_CONTENT_TYPE -> new Case(kind, valid.withContentType(null), error(415, "unsupported_media_type"));
			case ODD_ACCEPT -> {
				String accept = pick(ODD_ACCEPTS, r.n());
				yield new Case(kind + "/" + accept, valid.withAccept(accept), anyOf(ok, clientError()));
			}
			case TRUNCATED_JSON -> {
				int cut = (int) ((r.seed() >>> 1) % validJson.length());
				yield new Case(kind, valid.withBody(utf8(validJson.substring(0, cut))), error(400, "invalid_request"));
			}
			case TRAILING_GARBAGE -> {
				String garbage = r.hostile().isBlank() ? "x" + r.hostile() : r.hostile();
				yield new Case(kind, valid.withBody(utf8(validJson + garbage)), okOr400);
			}
			case NOT_QUITE_JSON -> {
				List<String> broken = List.of(validJson.replace('"', '\''),
						validJson.replaceFirst("\"(\\w+)\":", "$1:"), validJson.replace("}", ",}"),
						"/* c */" + validJson, validJson.replace(":", "="), "{\"code\":NaN}", "{\"code\":\"\\x41\"}",
						"{\"code\":\"\\uZZZZ\"}", "{\"code\":\"a\u0001b\"}", "{\"code\":\"a\nb\"}", "{\"code\" \"a\"}",
						"{\"code\":undefined}", "{{}}", "{\"code\":}", "{,}", "{\"code\":\"a\"", "\"",
						"{\"code\":0x1F}", "{\"code\":-}", "{\"code\":01}");
				yield new Case(kind, valid.withBody(utf8(pick(broken, r.n()))), error(400, "invalid_request"));
			}
			case RANDOM_BYTES -> {
				byte[] bytes = new byte[r.n() % 3000];
				random.nextBytes(bytes);
				yield new Case(kind, valid.withBody(bytes), error(400));
			}
			case INVALID_UTF8 -> {
				List<byte[]> invalid = List.of(new byte[] { (byte) 0x80 }, new byte[] { (byte) 0xC3, 0x28 },
						new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, new byte[] { (byte) 0xF8, (byte) 0x88 },
						new byte[] { (byte) 0xFF, (byte) 0xFE }, new byte[] { (byte) 0xC0, (byte) 0xAF },
						new byte[] { (byte) 0xE2, (byte) 0x82 },
						new byte[] { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 });
				byte[] body = HostileHttp.concat(utf8("{\"code\":\"ab"), pick(invalid, r.n()), utf8("cd\"}"));
				// Jackson refuses most, but reads overlong forms (C0 AF) as their ASCII
				// character: a code then.
				yield new Case(kind, valid.withBody(body), anyOf(error(400, "invalid_request"), invalidCode(endpoint)));
			}
			case EMPTY_BODY ->
				new Case(kind, valid.withBody((r.n() % 2 == 0) ? new byte[0] : null), error(400, "invalid_request"));
			case WRONG_TYPES -> wrongTypes(kind, endpoint, r, valid);
			case TOP_LEVEL_NOT_AN_OBJECT -> {
				List<String> values = List.of("null", "true", "0", "-1.5e300", "[]", "[{\"code\":\"x\"}]", "\"code\"",
						quote(freshCode(endpoint)), "[" + validJson + "]", r.json());
				String value = pick(values, r.n());
				boolean object = value.startsWith("{");
				yield new Case(kind, valid.withBody(utf8(value)), object ? clientError() : error(400));
			}
			case DEEP_NESTING -> {
				int depth = 1 + r.n() % 20_000;
				String body = switch (r.n() % 3) {
					case 0 -> "{\"code\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
					case 1 ->
						"{\"x\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "," + validJson.substring(1);
					default -> "[".repeat(depth) + "]".repeat(depth);
				};
				// Deep but legal junk next to a valid code may be skipped; too deep must
				// be refused, never crash.
				yield new Case(kind, valid.withBody(utf8(body)), (r.n() % 3 == 1) ? okOr400 : error(400));
			}
			case HUGE_BODY -> {
				int length = 50_000 + r.n() % 50_000;
				List<String> bodies = List.of("{\"code\":" + quote("A".repeat(length)) + "}",
						"{\"code\":" + "1".repeat(length) + "}",
						"{\"encryptedData\":"
								+ quote(r.hostile().repeat(1 + length / Math.max(1, r.hostile().length()))) + ",\"iv\":"
								+ quote("A".repeat(length)) + "}",
						"{\"code\":\"x\",\"" + "k".repeat(length) + "\":1}");
				yield new Case(kind, valid.withBody(utf8(pick(bodies, r.n()))), error(400));
			}
			case DUPLICATE_KEYS -> {
				String code = freshCode(endpoint);
				String body = (r.n() % 2 == 0) ? "{\"code\":" + quote(r.hostile()) + ",\"code\":" + quote(code) + "}"
						: "{\"code\":" + quote(code) + ",\"code\":" + quote(r.hostile()) + "}";
				yield new Case(kind, valid.withBody(utf8(body)), okOr400);
			}
			case BAD_TOKEN -> badToken(kind, endpoint, r, valid, ok);
		};
	}

	private static boolean hasDuplicateKeys(String json) {
		try {
			STRICT_JSON.readTree(json);
			return false;
		}
		catch (JacksonException ex) {
			return true;
		}
	}

	/**
	 * A valid body for dave: a fresh login code, a fresh phone code, or his
	 * encryptedData.
	 */
	private String validBody(Endpoint endpoint, int n) {
		if (endpoint == Endpoint.PHONE && n % 3 == 0) {
			EncryptedData data = this.sandbox.encryptPhoneNumber(this.dave);
			return dataJson(data.encryptedData(), data.iv());
		}
		return json("code", freshCode(endpoint));
	}

	private Case wrongTypes(String kind, Endpoint endpoint, BodyRecipe r, Request valid) {
		List<String> wrong = List.of("null", "true", "false", "0", "-1", "13800138000", "1.5", "1e400", "[]", "[\"a\"]",
				"{}", "{\"code\":\"x\"}", r.json());
		String value = pick(wrong, r.n());
		String body;
		if (endpoint == Endpoint.LOGIN) {
			body = "{\"code\":" + value + "}";
		}
		else {
			EncryptedData data = this.sandbox.encryptPhoneNumber(this.dave);
			body = switch ((r.n() / wrong.size()) % 4) {
				case 0 -> "{\"code\":" + value + "}";
				case 1 -> "{\"encryptedData\":" + value + ",\"iv\":" + quote(data.iv()) + "}";
				case 2 -> "{\"encryptedData\":" + quote(data.encryptedData()) + ",\"iv\":" + value + "}";
				default -> "{\"code\":" + value + ",\"encryptedData\":" + quote(data.encryptedData()) + ",\"iv\":"
						+ quote(data.iv()) + "}";
			};
		}
		// A number or a boolean may be read as its text, a code WeChat does not know or
		// data that does not decrypt;
		// null for code leaves encryptedData and iv to decrypt. A generated JSON string
		// is a code WeChat refuses, or encryptedData or an iv that does not decrypt: the
		// one 422 of every failed decryption.
		return new Case(kind, valid.withBody(utf8(body)),
				anyOf(ok(endpoint, this.dave), error(400), rejected(), invalidCode(endpoint)));
	}

	private Case badToken(String kind, Endpoint endpoint, BodyRecipe r, Request valid, Expect ok) {
		String ascii = r.hostile()
			.chars()
			.filter((ch) -> ch > 0x20 && ch < 0x7F)
			.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
			.toString();
		List<String> tokens = List.of("", "x", "x" + this.daveToken, this.daveToken + "x",
				this.daveToken.toUpperCase(Locale.ROOT), this.daveToken.substring(1),
				this.daveToken + "," + this.daveToken, "../" + this.daveToken, "null", "undefined",
				"00000000-0000-0000-0000-000000000000", ascii.isEmpty() ? "-" : ascii, "A".repeat(1 + r.n() % 4000),
				lastCharacterChanged(this.aliceToken));
		String token = pick(tokens, r.n());
		// Only the phone endpoint needs a token; a login ignores one it does not know.
		return new Case(kind, valid.withToken(token), (endpoint == Endpoint.PHONE) ? error(401, "invalid_token") : ok);
	}

	/**
	 * Another user's token with its last character changed, never to itself: a token that
	 * already ends in {@code 0} must not come back unchanged as a valid one.
	 */
	private static String lastCharacterChanged(String token) {
		char last = token.charAt(token.length() - 1);
		return token.substring(0, token.length() - 1) + ((last == '0') ? '1' : '0');
	}

	// Running a case

	private Reply run(Case c) {
		int before = this.sandbox.totalRequestCount();
		Reply reply;
		try {
			reply = this.http.send(c.request());
		}
		finally {
			this.sandbox.clearFaults();
		}
		HostileHttp.verifyCommon(c, reply, this.secrets);
		if (!c.callsWeChat()) {
			assertThat(this.sandbox.totalRequestCount()).as(c + ": refused input must not reach WeChat")
				.isEqualTo(before);
		}
		return reply;
	}

	// Generators

	/**
	 * Strings a hostile or broken client sends: any BMP text, control characters, tricks,
	 * Base64-ish, long.
	 */
	private static Gen<String> hostileStrings() {
		return Generate.oneOf(bmpStrings(40), strings().ascii().ofLengthBetween(0, 60),
				stringsOf(BASE64_CHARS + "=-_ \r\n", 80),
				lists().of(Generate.pick(TRICKS)).ofSizeBetween(1, 8).map((parts) -> String.join("", parts)),
				strings().betweenCodePoints('!', '~').ofLengthBetween(129, 3000));
	}

	/**
	 * Any text of the Basic Multilingual Plane, control characters included, but no lone
	 * surrogate halves.
	 */
	private static Gen<String> bmpStrings(int maxLength) {
		int surrogates = Character.MAX_SURROGATE - Character.MIN_SURROGATE + 1;
		return Generate.intArrays(integers().between(0, maxLength), integers().between(0, 0xFFFF - surrogates))
			.map((chars) -> {
				StringBuilder text = new StringBuilder(chars.length);
				for (int ch : chars) {
					text.append((char) ((ch < Character.MIN_SURROGATE) ? ch : ch + surrogates));
				}
				return text.toString();
			});
	}

	private static Gen<String> stringsOf(String alphabet, int maxLength) {
		return Generate.intArrays(integers().between(0, maxLength), integers().between(0, alphabet.length() - 1))
			.map((indexes) -> {
				StringBuilder text = new StringBuilder(indexes.length);
				for (int index : indexes) {
					text.append(alphabet.charAt(index));
				}
				return text.toString();
			});
	}

	/** JSON texts of any shape and type, none of them a phone-number payload. */
	private static Gen<String> jsonTexts() {
		return jsonTexts(4);
	}

	/** JSON texts nested at most {@code depth} levels deep. */
	private static Gen<String> jsonTexts(int depth) {
		Gen<String> leaves = Generate.oneOf(
				Generate.pick(List.of("null", "true", "false", "0", "-0", "1e308", "-1.5", "13800138000",
						"9223372036854775808", "\"\"", "\"watermark\"")),
				integers().all().map(Object::toString),
				strings().betweenCodePoints(' ', '\uD7FF').ofLengthBetween(0, 20).map(HostileInputIT::quote));
		if (depth == 0) {
			return leaves;
		}
		Gen<String> inner = jsonTexts(depth - 1);
		Gen<String> arrays = lists().of(inner).ofSizeBetween(0, 4).map((items) -> "[" + String.join(",", items) + "]");
		Gen<String> objects = lists()
			.of(Generate.pick(List.of("watermark", "appid", "timestamp", "purePhoneNumber", "a", ""))
				.zip(inner, (key, value) -> quote(key) + ":" + value))
			.ofSizeBetween(0, 4)
			.map((members) -> "{" + String.join(",", members) + "}");
		return Generate.oneOf(leaves, arrays, objects);
	}

	/**
	 * What a property saw: how often each value of each label came up, checked once the
	 * property has run (a check that fails names every count).
	 */
	private static final class Tally {

		private final Map<String, Map<Object, AtomicInteger>> counts = new TreeMap<>();

		void count(String label, Object value) {
			this.counts.computeIfAbsent(label, (key) -> new LinkedHashMap<>())
				.computeIfAbsent(value, (key) -> new AtomicInteger())
				.incrementAndGet();
		}

		/** How often any of these values came up under this label. */
		int get(String label, Object... values) {
			Map<Object, AtomicInteger> byValue = this.counts.getOrDefault(label, Map.of());
			int sum = 0;
			for (Object value : values) {
				AtomicInteger count = byValue.get(value);
				sum += (count != null) ? count.get() : 0;
			}
			return sum;
		}

		void assertAtLeast(int minimum, String label, Object... values) {
			assertThat(get(label, values)).as("%s %s: %s", label, List.of(values), this)
				.isGreaterThanOrEqualTo(minimum);
		}

		void report(String property) {
			System.out.println("HostileInputIT " + property + ": " + this);
		}

		@Override
		public String toString() {
			return this.counts.toString();
		}

	}

	// Helpers

	private String login(WeChatSandboxUser user) {
		Reply reply = this.http.send(Request.json(Endpoint.LOGIN, json("code", this.sandbox.loginCode(user)), null));
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		return reply.json().get("token").asString();
	}

	private Case phoneData(String kind, String encryptedData, String iv, Expect expect) {
		return new Case(kind, Request.json(Endpoint.PHONE, dataJson(encryptedData, iv), this.aliceToken), expect);
	}

	private static String dataJson(String encryptedData, String iv) {
		Map<String, String> body = new LinkedHashMap<>();
		body.put("encryptedData", encryptedData);
		body.put("iv", iv);
		return ApiClient.JSON.writeValueAsString(body);
	}

	private static String json(String field, String value) {
		return ApiClient.JSON.writeValueAsString(Map.of(field, value));
	}

	private static String quote(String value) {
		return ApiClient.JSON.writeValueAsString(value);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static <T> T pick(List<T> values, int n) {
		return values.get(Math.floorMod(n, values.size()));
	}

	private static String urlSafe(String base64) {
		return base64.replace('+', '-').replace('/', '_');
	}

	private static String lineBreaks(String base64, Random random) {
		StringBuilder broken = new StringBuilder();
		for (int i = 0; i < base64.length(); i++) {
			if (i > 0 && random.nextInt(8) == 0) {
				broken.append(random.nextBoolean() ? "\n" : "\r\n");
			}
			broken.append(base64.charAt(i));
		}
		return broken.toString();
	}

	private static String flipBit(String base64, int n) {
		byte[] bytes = Base64.getDecoder().decode(base64);
		int bit = Math.floorMod(n, bytes.length * 8);
		bytes[bit / 8] ^= (byte) (1 << (bit % 8));
		return Base64.getEncoder().encodeToString(bytes);
	}

}
