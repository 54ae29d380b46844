package io.github.wechatminiapp.session;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompactOpenidTests {

	private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	@Test
	void everyCharacterOfTheUrlSafeBase64AlphabetHasItsOwnCode() {
		for (int i = 0; i < ALPHABET.length(); i++) {
			assertThat(CompactOpenid.code(ALPHABET.charAt(i))).as("%s", ALPHABET.charAt(i)).isEqualTo(i);
		}
		for (char c : "@[`{/:+=.~ \u00e9\u0000".toCharArray()) {
			assertThat(CompactOpenid.code(c)).as("%s", c).isEqualTo(-1);
		}
	}

	@Test
	void wechatOpenidsArePackedAndEqualOnlyToThemselves() {
		Object key = CompactOpenid.of("oGZUI0egBJY1zhBYw2KhdUfwVJJE");
		assertThat(key).isInstanceOf(CompactOpenid.class)
			.isEqualTo(CompactOpenid.of("oGZUI0egBJY1zhBYw2KhdUfwVJJE"))
			.hasSameHashCodeAs(CompactOpenid.of("oGZUI0egBJY1zhBYw2KhdUfwVJJE"))
			.isNotEqualTo("oGZUI0egBJY1zhBYw2KhdUfwVJJE")
			.isNotEqualTo(null);
		assertThat(key.toString()).isEqualTo("CompactOpenid[28 characters]").doesNotContain("oGZUI");
	}

	@Test
	void aChangeOfAnyCharacterOrOfTheLengthIsAnotherKey() {
		String openid = "o6_bmjrPTlm6_2sgVt7hMZOPfL2M-Abc";
		openid = openid.substring(0, CompactOpenid.MAXIMUM_LENGTH);
		Object key = CompactOpenid.of(openid);
		Set<Object> keys = new HashSet<>();
		keys.add(key);
		for (int i = 0; i < openid.length(); i++) {
			for (char c : new char[] { 'A', '_' }) {
				if (openid.charAt(i) != c) {
					Object changed = CompactOpenid.of(openid.substring(0, i) + c + openid.substring(i + 1));
					assertThat(changed).as("%d %s", i, c).isNotEqualTo(key);
					keys.add(changed);
				}
			}
		}
		// Trailing code-0 characters are told apart by the length.
		List<String> as = List.of("", "A", "AA", "oA", "oAA", "o", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
		for (String text : as) {
			assertThat(CompactOpenid.of(text)).as(text).isInstanceOf(CompactOpenid.class);
			keys.add(CompactOpenid.of(text));
		}
		assertThat(keys).hasSize(1 + 2 * openid.length() - count(openid, 'A') - count(openid, '_') + as.size());
	}

	@Test
	void theHashSpreadsOverTheLowBits() {
		// A hash table of 2^20 buckets indexes by the low bits: openids differing in one
		// character land apart.
		Set<Integer> buckets = new HashSet<>();
		String base = "oGZUI0egBJY1zhBYw2KhdUfwVJJE";
		for (int i = 1; i < base.length(); i++) {
			for (int c = 0; c < 64; c++) {
				Object key = CompactOpenid.of(base.substring(0, i) + ALPHABET.charAt(c) + base.substring(i + 1));
				buckets.add(key.hashCode() & 0xFFFFF);
			}
		}
		// 1,702 keys in 2^20 buckets: about one collision expected of a random hash.
		assertThat(buckets).hasSizeGreaterThanOrEqualTo(1_698);
	}

	@Test
	void otherTextIsKeptAsItIs() {
		String tooLong = "A".repeat(CompactOpenid.MAXIMUM_LENGTH + 1);
		assertThat(CompactOpenid.of(tooLong)).isSameAs(tooLong);
		for (String other : List.of("o+GZUI0egBJY1zhBYw2KhdUfwVJJ", "openid 1", "o/", "用户",
				"oGZUI0egBJY1zhBYw2KhdUfwVJJ=")) {
			assertThat(CompactOpenid.of(other)).as(other).isSameAs(other);
		}
		assertThat(CompactOpenid.of("A".repeat(CompactOpenid.MAXIMUM_LENGTH))).isInstanceOf(CompactOpenid.class)
			.isNotEqualTo(CompactOpenid.of("A".repeat(CompactOpenid.MAXIMUM_LENGTH - 1)));
		assertThat(CompactOpenid.of("_".repeat(CompactOpenid.MAXIMUM_LENGTH))).isInstanceOf(CompactOpenid.class)
			.isNotEqualTo(CompactOpenid.of("_".repeat(CompactOpenid.MAXIMUM_LENGTH - 1) + "-"));
	}

	private static int count(String text, char c) {
		return (int) text.chars().filter((each) -> each == c).count();
	}

}
