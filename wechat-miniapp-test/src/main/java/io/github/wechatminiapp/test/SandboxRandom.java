package io.github.wechatminiapp.test;

import java.security.SecureRandom;

/**
 * Random identifiers shaped like WeChat's. SecureRandom, because tests of code that must
 * not guess or leak keys deserve keys that cannot be guessed either.
 */
final class SandboxRandom {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	private static final String HEX = "0123456789abcdef";

	private static final String DIGITS = "0123456789";

	private SandboxRandom() {
	}

	static byte[] bytes(int count) {
		byte[] bytes = new byte[count];
		RANDOM.nextBytes(bytes);
		return bytes;
	}

	static String urlSafe(int length) {
		return chars(URL_SAFE, length);
	}

	static String alphanumeric(int length) {
		return chars(ALPHANUMERIC, length);
	}

	static String hex(int length) {
		return chars(HEX, length);
	}

	static String digits(int length) {
		return chars(DIGITS, length);
	}

	/**
	 * WeChat's request ids look like {@code 6613a5c3-1b2f0c3d-4a5b6c7d}.
	 * @return three groups of 8 random hex digits
	 */
	static String rid() {
		return hex(8) + "-" + hex(8) + "-" + hex(8);
	}

	private static String chars(String alphabet, int length) {
		StringBuilder result = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			result.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
		}
		return result.toString();
	}

}
