package io.github.wechatminiapp.session;

/**
 * An openid as the in-memory store keys it: WeChat's openids are 28 characters of the
 * URL-safe Base64 alphabet, 6 bits each, so three numbers hold one in 40 bytes of heap
 * where a {@link String} takes 72. Openids of up to {@value #MAXIMUM_LENGTH} such
 * characters are packed; any other text is kept as the string itself (see
 * {@link #of(String)}), so every openid has exactly one key.
 */
final class CompactOpenid {

	/** Ten characters of 6 bits fill 60 bits of each of the three numbers. */
	static final int MAXIMUM_LENGTH = 30;

	private static final int PER_WORD = 10;

	/** {@link #code(char)} of every ASCII character. */
	private static final byte[] CODES = new byte[128];

	static {
		for (char c = 0; c < CODES.length; c++) {
			CODES[c] = (byte) code(c);
		}
	}

	private final long first;

	private final long second;

	private final long third;

	/**
	 * Tells an openid from the same one with trailing {@code A}s (code 0); fits in the
	 * object's padding.
	 */
	private final int length;

	private CompactOpenid(long first, long second, long third, int length) {
		this.first = first;
		this.second = second;
		this.third = third;
		this.length = length;
	}

	/**
	 * The key of an openid.
	 * @param openid the openid
	 * @return a packed key if every character is of the URL-safe Base64 alphabet and
	 * there are at most {@value #MAXIMUM_LENGTH}, else the openid itself
	 */
	static Object of(String openid) {
		int length = openid.length();
		if (length > MAXIMUM_LENGTH) {
			return openid;
		}
		// Three numbers, not an array: on every lookup, so nothing but the key is
		// allocated.
		long first = 0;
		long second = 0;
		long third = 0;
		for (int i = 0; i < length; i++) {
			char c = openid.charAt(i);
			int code = (c < CODES.length) ? CODES[c] : -1;
			if (code < 0) {
				return openid;
			}
			long shifted = ((long) code) << (6 * (i % PER_WORD));
			if (i < PER_WORD) {
				first |= shifted;
			}
			else if (i < 2 * PER_WORD) {
				second |= shifted;
			}
			else {
				third |= shifted;
			}
		}
		return new CompactOpenid(first, second, third, length);
	}

	/**
	 * The character's place in {@code A-Z a-z 0-9 - _}, or -1.
	 * @param c a character of an openid
	 * @return 0 to 63, or -1 for any other character
	 */
	static int code(char c) {
		if (c >= 'A' && c <= 'Z') {
			return c - 'A';
		}
		if (c >= 'a' && c <= 'z') {
			return 26 + c - 'a';
		}
		if (c >= '0' && c <= '9') {
			return 52 + c - '0';
		}
		if (c == '-') {
			return 62;
		}
		return (c == '_') ? 63 : -1;
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof CompactOpenid that) && this.first == that.first && this.second == that.second
				&& this.third == that.third && this.length == that.length;
	}

	@Override
	public int hashCode() {
		// Every character must reach the low bits a hash table indexes by: each number
		// goes through MurmurHash3's
		// finalizer with what came before it.
		return (int) mix(mix(mix(this.first) + this.second) + this.third + this.length);
	}

	private static long mix(long value) {
		long h = (value ^ (value >>> 33)) * 0xFF51AFD7ED558CCDL;
		h = (h ^ (h >>> 33)) * 0xC4CEB9FE1A85EC53L;
		return h ^ (h >>> 33);
	}

	@Override
	public String toString() {
		// An openid identifies a user: as little as a log line needs.
		return "CompactOpenid[" + this.length + " characters]";
	}

}
