package io.github.wechatminiapp.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.github.wechatminiapp.session.CaffeineSessionKeyRepository;
import io.github.wechatminiapp.session.SessionKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-memory session-key store full of users with real-looking 28-character openids:
 * the cost of a lookup and of a login, and ({@link #retainedBytesPerUser(int)}, run by
 * {@link #main(String[])}) the heap each user keeps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Threads(1)
public class SessionKeyStoreBenchmark {

	/**
	 * What WeChat's openids are made of: 28 characters of the URL-safe Base64 alphabet,
	 * the first an {@code o}.
	 */
	private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		.toCharArray();

	/**
	 * A session key's lifetime at WeChat is not published; the starter's default keeps it
	 * for days.
	 */
	static final Duration TIME_TO_LIVE = Duration.ofDays(3);

	@Param({ "1000000" })
	int users;

	CaffeineSessionKeyRepository repository;

	String[] openids;

	SessionKey[] keys;

	int next;

	@Setup(Level.Trial)
	public void setUp() {
		this.repository = new CaffeineSessionKeyRepository(TIME_TO_LIVE, this.users);
		this.openids = openids(this.users, 1);
		this.keys = sessionKeys(this.users, 2);
		for (int i = 0; i < this.users; i++) {
			this.repository.save(this.openids[i], this.keys[i]);
		}
	}

	/** The keys open data is decrypted with, for the next user in turn. */
	@Benchmark
	public Object findRecent() {
		return this.repository.findRecent(this.openids[advance()]);
	}

	/** A login of the next user in turn with the key the user already has. */
	@Benchmark
	public void saveSameKey() {
		int i = advance();
		this.repository.save(this.openids[i], this.keys[i]);
	}

	private int advance() {
		int i = this.next;
		this.next = (i + 1 == this.openids.length) ? 0 : i + 1;
		return i;
	}

	/**
	 * Distinct openids shaped like WeChat's.
	 * @param count how many
	 * @param seed makes them repeatable
	 * @return the openids
	 */
	static String[] openids(int count, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		java.util.Set<String> seen = new java.util.HashSet<>();
		String[] openids = new String[count];
		char[] chars = new char[28];
		chars[0] = 'o';
		for (int i = 0; i < count;) {
			for (int c = 1; c < chars.length; c++) {
				chars[c] = ALPHABET[random.nextInt(ALPHABET.length)];
			}
			String openid = new String(chars);
			if (seen.add(openid)) {
				openids[i++] = openid;
			}
		}
		return openids;
	}

	/**
	 * Random session keys.
	 * @param count how many
	 * @param seed makes them repeatable
	 * @return the keys
	 */
	static SessionKey[] sessionKeys(int count, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		SessionKey[] keys = new SessionKey[count];
		byte[] bytes = new byte[16];
		for (int i = 0; i < count; i++) {
			for (int b = 0; b < bytes.length; b++) {
				bytes[b] = (byte) random.nextInt(256);
			}
			keys[i] = SessionKey.ofBytes(bytes);
		}
		return keys;
	}

	/**
	 * Heap kept per user: used heap after full collections before and after saving one
	 * key for each of the given number of users (whose openids exist before and after, as
	 * the strings of a request would be gone but the store's copies are what count),
	 * divided by their number. The openids and keys handed in are made before the first
	 * measurement and dropped before the second, so the figure is what the store itself
	 * holds: its own copy of each openid string, its entry and the cache's bookkeeping.
	 * @param users how many users
	 * @return bytes per user
	 */
	public static long retainedBytesPerUser(int users) {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(TIME_TO_LIVE, users);
		long before = usedHeapAfterGc();
		SplittableRandom random = new SplittableRandom(7);
		char[] chars = new char[28];
		chars[0] = 'o';
		byte[] key = new byte[16];
		int saved = 0;
		while (saved < users) {
			for (int c = 1; c < chars.length; c++) {
				chars[c] = ALPHABET[random.nextInt(ALPHABET.length)];
			}
			for (int b = 0; b < key.length; b++) {
				key[b] = (byte) random.nextInt(256);
			}
			// The openid string of the request: the store keeps what it needs of it.
			String openid = new String(chars);
			if (repository.find(openid).isEmpty()) {
				repository.save(openid, SessionKey.ofBytes(key));
				saved++;
			}
		}
		long after = usedHeapAfterGc();
		int kept = 0;
		random = new SplittableRandom(7);
		for (int i = 0; i < users; i++) {
			for (int c = 1; c < chars.length; c++) {
				chars[c] = ALPHABET[random.nextInt(ALPHABET.length)];
			}
			for (int b = 0; b < key.length; b++) {
				key[b] = (byte) random.nextInt(256);
			}
			kept += repository.find(new String(chars)).filter(SessionKey.ofBytes(key)::equals).isPresent() ? 1 : 0;
		}
		if (kept != users) {
			throw new IllegalStateException("users were dropped: " + kept + " of " + users + " kept");
		}
		return (after - before) / users;
	}

	private static long usedHeapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			System.gc();
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

	/** Prints the heap kept per user at 1,000,000 users. */
	public static void main(String[] args) {
		int users = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		System.out.println(users + " users: " + retainedBytesPerUser(users) + " bytes retained per user");
	}

}
