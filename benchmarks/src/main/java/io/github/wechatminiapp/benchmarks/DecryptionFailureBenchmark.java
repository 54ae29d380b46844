package io.github.wechatminiapp.benchmarks;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.crypto.OpenDataException;
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
 * What a padding-oracle attacker times: the cost of
 * {@link PhoneNumberService#decryptPhoneNumber} rejecting a one-block payload whose
 * padding is bad, against one whose padding is valid and whose plaintext is then refused.
 * The budget is set out of reach here, so that every call is a rejection like the others
 * (it is still counted).
 * <p>
 * Each payload is one ciphertext block with an iv chosen, knowing the key, so that the
 * block decrypts to exactly the plaintext named.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class DecryptionFailureBenchmark {

	static final String OPENID = "oABCD00000000000000000000-attacker";

	PhoneNumberService service;

	/**
	 * The attacker's own session key; the benchmark knows it only to build the payloads.
	 */
	byte[] key;

	String block;

	/** Decrypts to 16 random bytes ending in 0x00: bad padding. */
	String badPaddingIv;

	/**
	 * Decrypts to 15 random bytes (not starting with '{') and 0x01: valid padding, not
	 * JSON.
	 */
	String garbageIv;

	/**
	 * Decrypts to '{', 14 random bytes and 0x01: valid padding, and the parser has to
	 * find the JSON broken.
	 */
	String braceGarbageIv;

	/**
	 * Decrypts to {} and 13 spaces, then 0x01: valid padding, JSON, no watermark (the
	 * oracle of the attack test).
	 */
	String emptyObjectIv;

	@Setup(Level.Trial)
	public void setUp() throws GeneralSecurityException {
		SecureRandom random = new SecureRandom();
		byte[] key = new byte[16];
		random.nextBytes(key);
		this.key = key;
		byte[] ciphertext = new byte[16];
		random.nextBytes(ciphertext);
		Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
		aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"));
		byte[] intermediate = aes.doFinal(ciphertext);
		this.block = Base64.getEncoder().encodeToString(ciphertext);

		byte[] bad = randomBytes(random);
		bad[15] = 0;
		this.badPaddingIv = ivFor(intermediate, bad);
		byte[] garbage = randomBytes(random);
		garbage[0] = (byte) ((garbage[0] == '{') ? 'x' : garbage[0]);
		garbage[15] = 1;
		this.garbageIv = ivFor(intermediate, garbage);
		byte[] braceGarbage = randomBytes(random);
		braceGarbage[0] = '{';
		braceGarbage[1] = (byte) 0xff;
		braceGarbage[15] = 1;
		this.braceGarbageIv = ivFor(intermediate, braceGarbage);
		byte[] emptyObject = "{}             \u0001".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		this.emptyObjectIv = ivFor(intermediate, emptyObject);

		CaffeineSessionKeyRepository sessionKeys = new CaffeineSessionKeyRepository(java.time.Duration.ofDays(3), 1000);
		sessionKeys.save(OPENID, SessionKey.ofBytes(key));
		WeChatMiniAppClient client = new WeChatMiniAppClient(RestClient.builder().baseUrl("http://127.0.0.1:9").build(),
				DecryptPhoneNumberBenchmark.APP_ID, DecryptPhoneNumberBenchmark.APP_SECRET, RetrySettings.DEFAULT);
		this.service = new PhoneNumberService(client, sessionKeys, new DecryptPhoneNumberBenchmark.NoAccessTokens());
		this.service.setWatermarkMaxAge(DecryptPhoneNumberBenchmark.WATERMARK_MAX_AGE);
		this.service.setFailureBudget(Integer.MAX_VALUE);
	}

	@Benchmark
	public Enum<?> badPadding() {
		return rejection(this.badPaddingIv);
	}

	@Benchmark
	public Enum<?> validPaddingNotJson() {
		return rejection(this.garbageIv);
	}

	@Benchmark
	public Enum<?> validPaddingBrokenJson() {
		return rejection(this.braceGarbageIv);
	}

	@Benchmark
	public Enum<?> validPaddingNoWatermark() {
		return rejection(this.emptyObjectIv);
	}

	Enum<?> rejection(String iv) {
		try {
			this.service.decryptPhoneNumber(OPENID, this.block, iv);
		}
		catch (OpenDataException ex) {
			return ex.reason();
		}
		catch (LoginRequiredException ex) {
			return ex.reason();
		}
		throw new IllegalStateException("accepted");
	}

	private static String ivFor(byte[] intermediate, byte[] plaintext) {
		byte[] iv = new byte[16];
		for (int i = 0; i < 16; i++) {
			iv[i] = (byte) (intermediate[i] ^ plaintext[i]);
		}
		return Base64.getEncoder().encodeToString(iv);
	}

	private static byte[] randomBytes(SecureRandom random) {
		byte[] bytes = new byte[16];
		random.nextBytes(bytes);
		return bytes;
	}

}
