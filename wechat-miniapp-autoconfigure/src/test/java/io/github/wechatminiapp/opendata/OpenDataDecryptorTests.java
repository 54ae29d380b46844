package io.github.wechatminiapp.opendata;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.crypto.OpenDataException.Reason;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.session.SessionKeyNotFoundException;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.test.RecordingAppender;
import io.github.wechatminiapp.testsupport.OpenDataEncryption;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The failure budget of {@link OpenDataDecryptor}, on the in-memory store, with payloads
 * encrypted here.
 */
class OpenDataDecryptorTests {

	private static final String APP_ID = "wx0123456789abcdef";

	private static final String OPENID = "o-budget-user-0123456789abcd";

	private static final SessionKey K1 = SessionKey.ofBytes("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

	private static final SessionKey K2 = SessionKey.ofBytes("fedcba9876543210".getBytes(StandardCharsets.US_ASCII));

	private static final SessionKey K3 = SessionKey.ofBytes("ABCDEFGHIJKLMNOP".getBytes(StandardCharsets.US_ASCII));

	private static final byte[] IV = "iviviviviviviviv".getBytes(StandardCharsets.US_ASCII);

	/** Accepts "ok", refuses any other plaintext as a payload it does not want. */
	private static final Function<byte[], String> READER = (plaintext) -> {
		String text = new String(plaintext, StandardCharsets.UTF_8);
		if (!text.equals("ok")) {
			throw new OpenDataException(text.equals("old") ? Reason.WATERMARK_EXPIRED : Reason.INVALID_PAYLOAD);
		}
		return text;
	};

	private final CaffeineSessionKeyRepository keys = new CaffeineSessionKeyRepository(Duration.ofHours(1), 100);

	private final List<String> exhausted = new ArrayList<>();

	private final OpenDataDecryptor decryptor = new OpenDataDecryptor(this.keys, APP_ID, 5, this.exhausted::add);

	@Test
	void decryptsWithTheCurrentKey() {
		this.keys.save(OPENID, K1);
		assertThat(decrypt(encrypt(K1, "ok"))).isEqualTo("ok");
	}

	@Test
	void noStoredKeyIsItsOwnLoginRequiredFailure() {
		assertThat(reason(encrypt(K1, "ok"))).isEqualTo(LoginRequiredException.Reason.NO_SESSION_KEY);
	}

	@Test
	void aFewDamagedPayloadsThenAGoodOne() {
		this.keys.save(OPENID, K1);
		for (int i = 0; i < 4; i++) {
			assertThat(reason(encrypt(K2, "ok"))).isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
		}
		assertThat(decrypt(encrypt(K1, "ok"))).isEqualTo("ok");
		assertThat(this.exhausted).isEmpty();
		assertThat(this.keys.find(OPENID)).contains(K1);
	}

	@Test
	void theFifthRejectionDropsTheKeysAndHidesItsReason() {
		this.keys.save(OPENID, K1);
		for (int i = 0; i < 4; i++) {
			assertThat(reason(encrypt(K1, "nope"))).isEqualTo(Reason.INVALID_PAYLOAD);
		}
		WeChatMiniAppException fifth = rejection(encrypt(K1, "nope"));
		assertThat(fifth).isInstanceOf(LoginRequiredException.class);
		assertThat(((LoginRequiredException) fifth).reason())
			.isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		assertThat(fifth).hasMessage(OpenDataException.MESSAGE);
		assertThat(this.keys.findRecent(OPENID)).isEmpty();
		assertThat(this.exhausted).containsExactly(APP_ID);
		assertThat(reason(encrypt(K1, "ok"))).isEqualTo(LoginRequiredException.Reason.NO_SESSION_KEY);
	}

	@Test
	void aSuccessDoesNotResetTheCount() {
		this.keys.save(OPENID, K1);
		for (int i = 0; i < 4; i++) {
			reason(encrypt(K1, "nope"));
			// The attacker's own valid payloads, interleaved.
			assertThat(decrypt(encrypt(K1, "ok"))).isEqualTo("ok");
		}
		assertThat(reason(encrypt(K1, "nope"))).isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
	}

	@Test
	void badPaddingCountsLikeAnyOtherRejection() {
		this.keys.save(OPENID, K1);
		String[] good = encrypt(K1, "ok");
		for (int i = 1; i <= 4; i++) {
			// The padding-oracle query: the iv's last byte changed, so the padding byte
			// 0x0e no longer is.
			byte[] iv = IV.clone();
			iv[15] ^= (byte) i;
			assertThat(reason(new String[] { good[0], Base64.getEncoder().encodeToString(iv) }))
				.isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
		}
		assertThat(reason(encrypt(K2, "ok"))).isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
	}

	@Test
	void oneCountPerCallUnderTheCurrentAndPreviousKeysTogether() {
		this.keys.save(OPENID, K1);
		this.keys.save(OPENID, K2);
		assertThat(this.keys.findRecent(OPENID)).containsExactly(K2, K1);
		for (int i = 0; i < 4; i++) {
			assertThat(reason(encrypt(K3, "ok"))).isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
		}
		// Rotation fallback: the current key fails, the previous one succeeds, and
		// nothing is counted.
		assertThat(decrypt(encrypt(K1, "ok"))).isEqualTo("ok");
		assertThat(decrypt(encrypt(K2, "ok"))).isEqualTo("ok");
		assertThat(this.keys.recordDecryptionFailure(OPENID, K2)).isEqualTo(5);
	}

	@Test
	void inputRejectedBeforeAnyKeyIsUsedDoesNotCount() {
		this.keys.save(OPENID, K1);
		String[] good = encrypt(K1, "ok");
		String shortIv = Base64.getEncoder().encodeToString(new byte[12]);
		for (int i = 0; i < 10; i++) {
			assertThat(reason(new String[] { "not base64!", good[1] })).isEqualTo(Reason.DECODE_BASE64_ERROR);
			assertThat(reason(new String[] { good[0], shortIv })).isEqualTo(Reason.ILLEGAL_IV);
			assertThat(reason(new String[] { "A".repeat(40_000), good[1] })).isEqualTo(Reason.ILLEGAL_BUFFER);
			// Not whole blocks: refused before any key is used, like the others.
			assertThat(reason(new String[] { "A".repeat(28), good[1] })).isEqualTo(Reason.ILLEGAL_BUFFER);
			assertThat(reason(new String[] { "", good[1] })).isEqualTo(Reason.ILLEGAL_BUFFER);
			assertThat(reason(new String[] { "====", good[1] })).isIn(Reason.ILLEGAL_BUFFER,
					Reason.DECODE_BASE64_ERROR);
		}
		assertThat(this.keys.recordDecryptionFailure(OPENID, K1)).isEqualTo(1);
	}

	@Test
	void repairedBase64DecryptsWithoutACount() {
		this.keys.save(OPENID, K1);
		String[] good = encrypt(K1, "ok");
		String urlSafe = good[0].replace('+', '-').replace('/', '_');
		String plusAsSpace = good[0].replace('+', ' ');
		for (int i = 0; i < 10; i++) {
			assertThat(decrypt(new String[] { urlSafe, good[1] })).isEqualTo("ok");
			assertThat(decrypt(new String[] { plusAsSpace, good[1] })).isEqualTo("ok");
		}
		assertThat(this.keys.recordDecryptionFailure(OPENID, K1)).isEqualTo(1);
	}

	@Test
	void theSameKeySavedAgainBuysNoFreshBudget() {
		this.keys.save(OPENID, K1);
		exhaust();
		// wx.login again: WeChat hands back the same session key.
		this.keys.save(OPENID, K1);
		assertThat(reason(encrypt(K1, "nope"))).isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		// Refused without decrypting: the key stays, as useless for open data as it was.
		assertThat(this.keys.findRecent(OPENID)).containsExactly(K1);
		this.keys.save(OPENID, K1);
		// A budget that stays spent: even a fully valid payload is no longer decrypted
		// under this key.
		assertThat(reason(encrypt(K1, "ok"))).isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		assertThat(reason(encrypt(K1, "nope"))).isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		assertThat(this.keys.recordDecryptionFailure(OPENID, K1)).isEqualTo(6);
		// One exhaustion, told once, however often the exhausted key comes back.
		assertThat(this.exhausted).containsExactly(APP_ID);
	}

	@Test
	void aDifferentKeyStartsAFreshBudget() {
		this.keys.save(OPENID, K1);
		exhaust();
		this.keys.save(OPENID, K2);
		for (int i = 0; i < 4; i++) {
			assertThat(reason(encrypt(K2, "nope"))).isEqualTo(Reason.INVALID_PAYLOAD);
		}
		assertThat(decrypt(encrypt(K2, "ok"))).isEqualTo("ok");
		assertThat(reason(encrypt(K2, "nope"))).isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		assertThat(this.exhausted).containsExactly(APP_ID, APP_ID);
	}

	@Test
	void aBudgetOfOneDropsTheKeysAtTheFirstRejection() {
		OpenDataDecryptor strict = new OpenDataDecryptor(this.keys, APP_ID, 1, this.exhausted::add);
		this.keys.save(OPENID, K1);
		assertThat(strict.decrypt(OPENID, encrypt(K1, "ok")[0], encrypt(K1, "ok")[1], READER)).isEqualTo("ok");
		String[] bad = encrypt(K1, "nope");
		assertThat(reason(() -> strict.decrypt(OPENID, bad[0], bad[1], READER)))
			.isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		assertThat(this.keys.find(OPENID)).isEmpty();
		assertThat(this.exhausted).containsExactly(APP_ID);
	}

	@Test
	void aStoreThatCannotCountExhaustsOnEveryRejection() {
		MapRepository custom = new MapRepository();
		OpenDataDecryptor decryptor = new OpenDataDecryptor(custom, APP_ID, 5, this.exhausted::add);
		custom.save(OPENID, K1);
		String[] good = encrypt(K1, "ok");
		assertThat(decryptor.decrypt(OPENID, good[0], good[1], READER)).isEqualTo("ok");
		String[] bad = encrypt(K1, "nope");
		assertThat(reason(() -> decryptor.decrypt(OPENID, bad[0], bad[1], READER)))
			.isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		assertThat(custom.find(OPENID)).isEmpty();
		custom.save(OPENID, K1);
		assertThat(reason(() -> decryptor.decrypt(OPENID, bad[0], bad[1], READER)))
			.isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		assertThat(this.exhausted).containsExactly(APP_ID, APP_ID);
	}

	@Test
	void ofTwoKeysTheRejectionThatSaysMoreIsReported() {
		this.keys.save(OPENID, K1);
		this.keys.save(OPENID, K2);
		// Previous key decrypts, its payload is refused: that beats the current key's bad
		// padding.
		assertThat(reason(encrypt(K1, "old"))).isEqualTo(Reason.WATERMARK_EXPIRED);
		// Current key decrypts, its payload is refused: the previous key's bad padding
		// does not hide it.
		assertThat(reason(encrypt(K2, "old"))).isEqualTo(Reason.WATERMARK_EXPIRED);
		assertThat(reason(encrypt(K2, "nope"))).isEqualTo(Reason.INVALID_PAYLOAD);
		// Neither fits: a key the server never saw.
		assertThat(reason(encrypt(K3, "ok"))).isEqualTo(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY);
	}

	@Test
	void bothKeysRefusingThePayloadReportTheCurrentKeysReason() {
		CaffeineSessionKeyRepository twoKeys = new CaffeineSessionKeyRepository(Duration.ofHours(1), 10);
		twoKeys.save(OPENID, K1);
		twoKeys.save(OPENID, K2);
		// A reader that refuses whatever it reads, differently per call: the first
		// refusal is kept.
		int[] calls = { 0 };
		Function<byte[], String> fussy = (plaintext) -> {
			throw new OpenDataException((calls[0]++ == 0) ? Reason.WATERMARK_EXPIRED : Reason.INVALID_PAYLOAD);
		};
		OpenDataDecryptor decryptor = new OpenDataDecryptor(twoKeys, APP_ID, 5, this.exhausted::add);
		String[] data = encryptWithoutPaddingCheck();
		assertThat(reason(() -> decryptor.decrypt(OPENID, data[0], data[1], fussy)))
			.isEqualTo(Reason.WATERMARK_EXPIRED);
		assertThat(calls[0]).isEqualTo(2);
	}

	@Test
	void oneWarnLinePerExhaustionWithoutTheOpenidOrTheKey() {
		String openid = "o-warned-user-" + System.nanoTime();
		String tag = OpenDataDecryptor.userTag(openid);
		this.keys.save(openid, K1);
		String[] bad = encrypt(K1, "nope");
		for (int i = 0; i < 7; i++) {
			if (i == 5) {
				this.keys.save(openid, K1);
			}
			reason(() -> this.decryptor.decrypt(openid, bad[0], bad[1], READER));
		}
		List<String> warnings = RecordingAppender.lines().stream().filter((line) -> line.contains(tag)).toList();
		assertThat(warnings).hasSize(1);
		assertThat(warnings.get(0)).contains("failure budget of 5 exhausted")
			.contains(APP_ID)
			.doesNotContain(openid)
			.doesNotContain(K1.toBase64());
		assertThat(RecordingAppender.linesContainingAny(List.of(openid, K1.toBase64()))).isEmpty();
	}

	@Test
	void sixtyFourConcurrentBadPayloadsDecryptAtMostTheBudget() throws Exception {
		this.keys.save(OPENID, K1);
		java.util.concurrent.atomic.AtomicInteger decrypted = new java.util.concurrent.atomic.AtomicInteger();
		Function<byte[], String> counting = (plaintext) -> {
			decrypted.incrementAndGet();
			return READER.apply(plaintext);
		};
		String[] bad = encrypt(K1, "nope");
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
		java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
		List<java.util.concurrent.Future<Enum<?>>> work = new ArrayList<>();
		try {
			for (int t = 0; t < 64; t++) {
				work.add(pool.submit(() -> {
					start.await();
					return reason(() -> this.decryptor.decrypt(OPENID, bad[0], bad[1], counting));
				}));
			}
			start.countDown();
			List<Enum<?>> reasons = new ArrayList<>();
			for (java.util.concurrent.Future<Enum<?>> future : work) {
				reasons.add(future.get(30, java.util.concurrent.TimeUnit.SECONDS));
			}
			assertThat(decrypted).hasValue(5);
			assertThat(reasons).filteredOn((reason) -> reason == Reason.INVALID_PAYLOAD).hasSize(4);
			assertThat(reasons)
				.filteredOn((reason) -> reason == LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED
						|| reason == LoginRequiredException.Reason.NO_SESSION_KEY)
				.hasSize(60);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.exhausted).containsExactly(APP_ID);
	}

	@Test
	void aValidPayloadAfterTheBudgetIsSpentIsRefusedUnderThatKeyUntilAnotherKeyComes() {
		this.keys.save(OPENID, K1);
		exhaust();
		this.keys.save(OPENID, K1);
		int[] read = { 0 };
		assertThat(
				reason(() -> this.decryptor.decrypt(OPENID, encrypt(K1, "ok")[0], encrypt(K1, "ok")[1], (plaintext) -> {
					read[0]++;
					return "ok";
				})))
			.isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		assertThat(read[0]).as("nothing is decrypted past the budget").isZero();
		this.keys.save(OPENID, K2);
		assertThat(decrypt(encrypt(K2, "ok"))).isEqualTo("ok");
	}

	@Test
	void refusalsPastTheBudgetAreSummedUpInAtMostOneWarnLineAMinute() {
		long[] now = { 0 };
		OpenDataDecryptor decryptor = new OpenDataDecryptor(this.keys, "wx-rate-limited-app", 1, this.exhausted::add,
				() -> now[0]);
		String openid = "o-refused-user-" + System.nanoTime();
		this.keys.save(openid, K1);
		String[] bad = encrypt(K1, "nope");
		reason(() -> decryptor.decrypt(openid, bad[0], bad[1], READER));
		this.keys.save(openid, K1);
		for (int i = 0; i < 10; i++) {
			now[0] += Duration.ofSeconds(5).toNanos();
			assertThat(reason(() -> decryptor.decrypt(openid, bad[0], bad[1], READER)))
				.isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
		}
		now[0] += Duration.ofSeconds(15).toNanos();
		reason(() -> decryptor.decrypt(openid, bad[0], bad[1], READER));
		List<String> lines = RecordingAppender.lines()
			.stream()
			.filter((line) -> line.contains("wx-rate-limited-app") && line.contains("refused without decrypting"))
			.toList();
		assertThat(lines).hasSize(2);
		assertThat(lines.get(0)).contains("1 open data payload(s)").contains("budget of 1");
		assertThat(lines.get(1)).contains("10 open data payload(s)");
		assertThat(RecordingAppender.linesContainingAny(List.of(openid, K1.toBase64()))).isEmpty();
	}

	@Test
	void theUserTagIsAShortDigestOfTheOpenid() {
		assertThat(OpenDataDecryptor.userTag("abc")).isEqualTo("#ba7816bf");
		assertThat(OpenDataDecryptor.userTag(OPENID)).matches("#[0-9a-f]{8}").isNotEqualTo("#ba7816bf");
	}

	@Test
	void rejectsNonsenseSettings() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new OpenDataDecryptor(null, APP_ID, 5, FailureBudgetListener.NONE));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new OpenDataDecryptor(this.keys, APP_ID, 0, FailureBudgetListener.NONE));
		assertThatIllegalArgumentException().isThrownBy(() -> new OpenDataDecryptor(this.keys, APP_ID, 5, null));
		FailureBudgetListener.NONE.exhausted(APP_ID);
	}

	private void exhaust() {
		for (int i = 0; i < 5; i++) {
			reason(encrypt(K1, "nope"));
		}
		assertThat(this.keys.findRecent(OPENID)).isEmpty();
	}

	private String decrypt(String[] data) {
		return this.decryptor.decrypt(OPENID, data[0], data[1], READER);
	}

	private Enum<?> reason(String[] data) {
		return reason(() -> decrypt(data));
	}

	private WeChatMiniAppException rejection(String[] data) {
		return rejection(() -> decrypt(data));
	}

	/**
	 * The reason of a refusal: what the data showed, or why the user must log in again.
	 */
	static Enum<?> reason(Runnable decryption) {
		WeChatMiniAppException ex = rejection(decryption);
		return (ex instanceof OpenDataException refused) ? refused.reason() : ((LoginRequiredException) ex).reason();
	}

	/** Every refusal carries the one message and no stack trace. */
	static WeChatMiniAppException rejection(Runnable decryption) {
		WeChatMiniAppException ex = assertThatExceptionOfType(WeChatMiniAppException.class).isThrownBy(decryption::run)
			.actual();
		assertThat(ex).isInstanceOfAny(OpenDataException.class, LoginRequiredException.class);
		assertThat(ex.getStackTrace()).isEmpty();
		if (!(ex instanceof SessionKeyNotFoundException)) {
			assertThat(ex).hasMessage(OpenDataException.MESSAGE);
		}
		return ex;
	}

	private static String[] encrypt(SessionKey key, String plaintext) {
		return new String[] { OpenDataEncryption.encrypt(key.bytes(), IV, plaintext),
				Base64.getEncoder().encodeToString(IV) };
	}

	/**
	 * One block whose padding is valid under both K1 and K2: the reader runs under each
	 * key.
	 */
	private static String[] encryptWithoutPaddingCheck() {
		try {
			Cipher k1 = Cipher.getInstance("AES/ECB/NoPadding");
			k1.init(Cipher.DECRYPT_MODE, new SecretKeySpec(K1.bytes(), "AES"));
			Cipher k2 = Cipher.getInstance("AES/ECB/NoPadding");
			k2.init(Cipher.DECRYPT_MODE, new SecretKeySpec(K2.bytes(), "AES"));
			// Search a block whose last byte decrypts to the same value under both keys;
			// the iv then makes it 0x01.
			byte[] block = new byte[16];
			for (int n = 0;; n++) {
				block[0] = (byte) n;
				block[1] = (byte) (n >>> 8);
				byte[] d1 = k1.doFinal(block);
				byte[] d2 = k2.doFinal(block);
				if (d1[15] == d2[15]) {
					byte[] iv = new byte[16];
					iv[15] = (byte) (d1[15] ^ 0x01);
					return new String[] { Base64.getEncoder().encodeToString(block),
							Base64.getEncoder().encodeToString(iv) };
				}
			}
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A user's own store: keeps current keys only and overrides none of the default
	 * methods.
	 */
	private static final class MapRepository implements SessionKeyRepository {

		private final ConcurrentHashMap<String, SessionKey> keys = new ConcurrentHashMap<>();

		@Override
		public void save(String openid, SessionKey sessionKey) {
			this.keys.put(openid, sessionKey);
		}

		@Override
		public Optional<SessionKey> find(String openid) {
			return Optional.ofNullable(this.keys.get(openid));
		}

		@Override
		public void remove(String openid) {
			this.keys.remove(openid);
		}

	}

}
