package io.github.wechatminiapp.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.opendata.OpenDataService;
import io.github.wechatminiapp.opendata.ShareInfo;
import io.github.wechatminiapp.opendata.WeRunData;
import io.github.wechatminiapp.phone.PhoneNumber;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKey;
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
 * Open data other than the phone number beside the phone number, for one user of a store
 * of 10,001: the same key loop, failure budget and watermark checks, then the one strict
 * streaming reader (no name twice, nothing after the object, openId check) binding the
 * record as it reads, against the phone number read by the same reader.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class DecryptOpenDataBenchmark {

	static final String APP_ID = DecryptPhoneNumberBenchmark.APP_ID;

	static final String OPENID = "oABCD00000000000000000005000-me";

	static final int WE_RUN_DAYS = 31;

	/** Longer than any run; the age check still runs on every call. */
	static final Duration WATERMARK_MAX_AGE = Duration.ofHours(1);

	final EncryptedPayload phone = new EncryptedPayload();

	final EncryptedPayload weRun = new EncryptedPayload();

	final EncryptedPayload share = new EncryptedPayload();

	PhoneNumberService phoneNumbers;

	OpenDataService openData;

	@Setup(Level.Trial)
	public void setUp() throws GeneralSecurityException {
		SecureRandom random = new SecureRandom();
		CaffeineSessionKeyRepository sessionKeys = new CaffeineSessionKeyRepository(Duration.ofDays(3), 20_000L);
		for (int i = 0; i < DecryptPhoneNumberBenchmark.OTHER_USERS; i++) {
			sessionKeys.save(String.format("oABCD%023d", i), SessionKey.ofBytes(randomBytes(random, 16)));
		}
		byte[] key = randomBytes(random, 16);
		sessionKeys.save(OPENID, SessionKey.ofBytes(key));
		long now = Instant.now().getEpochSecond();
		String watermark = "\"watermark\":{\"timestamp\":" + now + ",\"appid\":\"" + APP_ID + "\"}";
		this.phone.encrypt(key, random, "{\"phoneNumber\":\"13800138000\",\"purePhoneNumber\":\"13800138000\","
				+ "\"countryCode\":\"86\"," + watermark + "}");
		this.weRun.encrypt(key, random, weRunJson(watermark));
		this.share.encrypt(key, random, "{\"openGId\":\"tGABCDEFGHIJKLMNOPQRSTUVWXYZ\"," + watermark + "}");

		WeChatMiniAppClient client = new WeChatMiniAppClient(RestClient.builder().baseUrl("http://127.0.0.1:9").build(),
				APP_ID, DecryptPhoneNumberBenchmark.APP_SECRET, RetrySettings.DEFAULT);
		DecryptPhoneNumberBenchmark.NoAccessTokens noTokens = new DecryptPhoneNumberBenchmark.NoAccessTokens();
		this.phoneNumbers = new PhoneNumberService(client, sessionKeys, noTokens);
		this.phoneNumbers.setWatermarkMaxAge(WATERMARK_MAX_AGE);
		this.openData = new OpenDataService(APP_ID, sessionKeys);
		this.openData.setWatermarkMaxAge(WATERMARK_MAX_AGE);
	}

	/** As WeChat writes it: 31 days ending today, midnight China time, oldest first. */
	static String weRunJson(String watermark) {
		StringBuilder json = new StringBuilder("{\"stepInfoList\":[");
		LocalDate today = LocalDate.now(ZoneOffset.ofHours(8));
		for (int i = WE_RUN_DAYS - 1; i >= 0; i--) {
			long midnight = today.minusDays(i).atStartOfDay(ZoneOffset.ofHours(8)).toEpochSecond();
			json.append("{\"timestamp\":").append(midnight).append(",\"step\":").append(1000 + 317 * i).append('}');
			if (i > 0) {
				json.append(',');
			}
		}
		return json.append("],").append(watermark).append('}').toString();
	}

	@Benchmark
	public PhoneNumber phoneNumber() {
		return this.phoneNumbers.decryptPhoneNumber(OPENID, this.phone.encryptedData, this.phone.iv);
	}

	@Benchmark
	public WeRunData weRun() {
		return this.openData.decrypt(OPENID, this.weRun.encryptedData, this.weRun.iv, WeRunData.class);
	}

	@Benchmark
	public ShareInfo shareInfo() {
		return this.openData.decrypt(OPENID, this.share.encryptedData, this.share.iv, ShareInfo.class);
	}

	/**
	 * The floor of {@link #phoneNumber()}: Base64 decoding and AES-128-CBC of its payload
	 * alone, as {@link DecryptPhoneNumberBenchmark#floor()}.
	 * @return the padded plaintext
	 * @throws GeneralSecurityException never
	 */
	@Benchmark
	public byte[] phoneNumberFloor() throws GeneralSecurityException {
		return this.phone.floor();
	}

	/**
	 * The floor of {@link #weRun()}: what its size costs before any reading, the part of
	 * the WeRun / phone number ratio no reader can take away.
	 * @return the padded plaintext
	 * @throws GeneralSecurityException never
	 */
	@Benchmark
	public byte[] weRunFloor() throws GeneralSecurityException {
		return this.weRun.floor();
	}

	private static byte[] randomBytes(SecureRandom random, int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

	static final class EncryptedPayload {

		String encryptedData;

		String iv;

		int plaintextBytes;

		private Cipher floorCipher;

		private SecretKeySpec floorKey;

		void encrypt(byte[] key, SecureRandom random, String json) throws GeneralSecurityException {
			this.floorCipher = Cipher.getInstance("AES/CBC/NoPadding");
			this.floorKey = new SecretKeySpec(key, "AES");
			byte[] ivBytes = randomBytes(random, 16);
			byte[] plaintext = json.getBytes(StandardCharsets.UTF_8);
			Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
			cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(ivBytes));
			this.encryptedData = Base64.getEncoder().encodeToString(cipher.doFinal(plaintext));
			this.iv = Base64.getEncoder().encodeToString(ivBytes);
			this.plaintextBytes = plaintext.length;
		}

		/** Base64 and AES-128-CBC alone, with a cipher and a key made once. */
		byte[] floor() throws GeneralSecurityException {
			return DecryptPhoneNumberBenchmark.floor(this.floorCipher, this.floorKey, this.encryptedData, this.iv);
		}

	}

}
