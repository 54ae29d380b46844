package io.github.wechatminiapp.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import cn.binarywang.wx.miniapp.bean.WxMaPhoneNumberInfo;
import cn.binarywang.wx.miniapp.util.crypt.WxMaCryptUtils;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.phone.PhoneNumber;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.token.AccessTokenProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.web.client.RestClient;

/**
 * The older phone-number API ({@code encryptedData} + {@code iv} of the getPhoneNumber
 * button) on one realistic payload: the starter's
 * {@link PhoneNumberService#decryptPhoneNumber(String, String, String)} (session-key
 * lookup in a store of 10,001 users, AES-128-CBC with a strict PKCS#7 check, JSON,
 * watermark app id and age checks) against WxJava 4.7.9.B's
 * {@code WxMaCryptUtils.decrypt} + {@code WxMaPhoneNumberInfo.fromJson} (the caller
 * passes the session key; no padding check, no watermark check).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class DecryptPhoneNumberBenchmark {

	static final String APP_ID = "wx0123456789abcdef";

	static final String APP_SECRET = "0123456789abcdef0123456789abcdef";

	static final String PURE_PHONE_NUMBER = "13800138000";

	/** Users in the session-key store besides the one decrypting. */
	static final int OTHER_USERS = 10_000;

	/**
	 * Longer than any run, so the fresh watermark cannot go stale mid-run; the age check
	 * still runs on every call.
	 */
	static final Duration WATERMARK_MAX_AGE = Duration.ofHours(1);

	String openid;

	/**
	 * The session key as jscode2session returns it: what WxJava's caller has to pass in.
	 */
	String sessionKey;

	String encryptedData;

	String iv;

	PhoneNumberService service;

	CaffeineSessionKeyRepository sessionKeys;

	Cipher floorCipher;

	SecretKeySpec floorKey;

	/**
	 * A user whose key rotated after the data was encrypted: the previous-key fallback
	 * path.
	 */
	String rotatedOpenid;

	String rotatedEncryptedData;

	String rotatedIv;

	/** Users decrypting in turn, each with their own key, as a real server sees them. */
	static final int MANY_USERS = 64;

	final String[] manyOpenids = new String[MANY_USERS];

	final String[] manySessionKeys = new String[MANY_USERS];

	final String[] manyEncryptedData = new String[MANY_USERS];

	final String[] manyIvs = new String[MANY_USERS];

	@Setup(Level.Trial)
	public void setUp() throws GeneralSecurityException {
		SecureRandom random = new SecureRandom();
		CaffeineSessionKeyRepository sessionKeys = new CaffeineSessionKeyRepository(Duration.ofDays(3),
				OTHER_USERS * 2L);
		for (int i = 0; i < OTHER_USERS; i++) {
			sessionKeys.save(openid(i), SessionKey.ofBytes(randomBytes(random, 16)));
		}
		byte[] key = randomBytes(random, 16);
		byte[] ivBytes = randomBytes(random, 16);
		this.openid = openid(OTHER_USERS / 2) + "-me";
		this.sessionKey = Base64.getEncoder().encodeToString(key);
		sessionKeys.save(this.openid, SessionKey.ofBase64(this.sessionKey));

		this.encryptedData = encrypt(key, ivBytes);
		this.floorCipher = Cipher.getInstance("AES/CBC/NoPadding");
		this.floorKey = new SecretKeySpec(key, "AES");
		this.iv = Base64.getEncoder().encodeToString(ivBytes);

		byte[] oldKey = randomBytes(random, 16);
		byte[] rotatedIvBytes = randomBytes(random, 16);
		this.rotatedOpenid = openid(OTHER_USERS / 3) + "-rotated";
		sessionKeys.save(this.rotatedOpenid, SessionKey.ofBytes(oldKey));
		sessionKeys.save(this.rotatedOpenid, SessionKey.ofBytes(randomBytes(random, 16)));
		this.rotatedEncryptedData = encrypt(oldKey, rotatedIvBytes);
		this.rotatedIv = Base64.getEncoder().encodeToString(rotatedIvBytes);

		for (int i = 0; i < MANY_USERS; i++) {
			byte[] userKey = randomBytes(random, 16);
			byte[] userIv = randomBytes(random, 16);
			this.manyOpenids[i] = openid(i) + "-many";
			this.manySessionKeys[i] = Base64.getEncoder().encodeToString(userKey);
			sessionKeys.save(this.manyOpenids[i], SessionKey.ofBytes(userKey));
			this.manyEncryptedData[i] = encrypt(userKey, userIv);
			this.manyIvs[i] = Base64.getEncoder().encodeToString(userIv);
		}

		WeChatMiniAppClient client = new WeChatMiniAppClient(RestClient.builder().baseUrl("http://127.0.0.1:9").build(),
				APP_ID, APP_SECRET, RetrySettings.DEFAULT);
		this.sessionKeys = sessionKeys;
		this.service = new PhoneNumberService(client, sessionKeys, new NoAccessTokens());
		this.service.setWatermarkMaxAge(WATERMARK_MAX_AGE);
	}

	@Benchmark
	public PhoneNumber starter() {
		return this.service.decryptPhoneNumber(this.openid, this.encryptedData, this.iv);
	}

	/**
	 * The floor no decryption of open data can go below: Base64 decoding and AES-128-CBC
	 * alone, with a cipher and a key made once, no store, no padding check, no JSON.
	 */
	@Benchmark
	public byte[] floor() throws GeneralSecurityException {
		return floor(this.floorCipher, this.floorKey, this.encryptedData, this.iv);
	}

	/**
	 * Base64 decoding and AES-128-CBC alone, what every floor measures.
	 * @param cipher an {@code AES/CBC/NoPadding} cipher, made once
	 * @param key the key, made once
	 * @param encryptedData the Base64 ciphertext
	 * @param iv the Base64 iv
	 * @return the padded plaintext
	 * @throws GeneralSecurityException never for the benchmarks' payloads
	 */
	static byte[] floor(Cipher cipher, SecretKeySpec key, String encryptedData, String iv)
			throws GeneralSecurityException {
		byte[] ciphertext = Base64.getDecoder().decode(encryptedData);
		byte[] ivBytes = Base64.getDecoder().decode(iv);
		cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(ivBytes));
		return cipher.doFinal(ciphertext);
	}

	/**
	 * The session-key store's part of {@link #starter()}: the user's keys looked up, a
	 * slot of the failure budget reserved and given back, as the decryptor does.
	 * @return the slot reserved
	 */
	@Benchmark
	public int storeAlone() {
		SessionKey current = this.sessionKeys.findRecent(this.openid).get(0);
		int reserved = this.sessionKeys.reserveDecryption(this.openid, current, Integer.MAX_VALUE);
		this.sessionKeys.releaseDecryption(this.openid, current);
		return reserved;
	}

	@Benchmark
	public WxMaPhoneNumberInfo wxJava() {
		return WxMaPhoneNumberInfo.fromJson(WxMaCryptUtils.decrypt(this.sessionKey, this.encryptedData, this.iv));
	}

	/** The current key fails (strict padding), the previous one succeeds. */
	@Benchmark
	public PhoneNumber starterPreviousKey() {
		return this.service.decryptPhoneNumber(this.rotatedOpenid, this.rotatedEncryptedData, this.rotatedIv);
	}

	@Benchmark
	public PhoneNumber starterManyUsers(Cursor cursor) {
		int i = cursor.next();
		return this.service.decryptPhoneNumber(this.manyOpenids[i], this.manyEncryptedData[i], this.manyIvs[i]);
	}

	@Benchmark
	public WxMaPhoneNumberInfo wxJavaManyUsers(Cursor cursor) {
		int i = cursor.next();
		return WxMaPhoneNumberInfo
			.fromJson(WxMaCryptUtils.decrypt(this.manySessionKeys[i], this.manyEncryptedData[i], this.manyIvs[i]));
	}

	private static String encrypt(byte[] key, byte[] iv) throws GeneralSecurityException {
		String json = "{\"phoneNumber\":\"" + PURE_PHONE_NUMBER + "\",\"purePhoneNumber\":\"" + PURE_PHONE_NUMBER
				+ "\",\"countryCode\":\"86\",\"watermark\":{\"timestamp\":" + Instant.now().getEpochSecond()
				+ ",\"appid\":\"" + APP_ID + "\"}}";
		Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
		cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
		return Base64.getEncoder().encodeToString(cipher.doFinal(json.getBytes(StandardCharsets.UTF_8)));
	}

	/** Openids look like WeChat's: 28 Base64url characters. */
	private static String openid(int i) {
		return String.format("oABCD%023d", i);
	}

	private static byte[] randomBytes(SecureRandom random, int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

	/** Which of the many users decrypts next, per benchmark thread. */
	@State(Scope.Thread)
	public static class Cursor {

		private int next;

		int next() {
			this.next = (this.next + 1) % MANY_USERS;
			return this.next;
		}

	}

	/** Phone-code calls need access tokens; decrypting never does. */
	static final class NoAccessTokens implements AccessTokenProvider {

		@Override
		public String getAccessToken() {
			throw new UnsupportedOperationException("not used by this benchmark");
		}

		@Override
		public void invalidate(String rejectedToken) {
			throw new UnsupportedOperationException("not used by this benchmark");
		}

	}

}
