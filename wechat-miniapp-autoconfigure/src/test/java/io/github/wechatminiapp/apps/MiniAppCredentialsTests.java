package io.github.wechatminiapp.apps;

import io.github.wechatminiapp.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MiniAppCredentialsTests {

	private static final String SECRET = "0123456789abcdefABCDEF0123456789";

	@Test
	void toStringNeverShowsTheSecret() {
		MiniAppCredentials credentials = new MiniAppCredentials("wx0123456789abcdef", SECRET);
		assertThat(credentials.toString()).contains("wx0123456789abcdef").doesNotContain(SECRET);
		assertThat(credentials.appSecret()).isEqualTo(SECRET);
	}

	@Test
	void appIdsAreWxAndSixteenHexDigits() {
		assertThat(MiniAppCredentials.isAppId("wx0123456789abcdef")).isTrue();
		assertThat(MiniAppCredentials.isAppId("wx0123456789ABCDEF")).isTrue();
		assertThat(MiniAppCredentials.isAppId("wx0123456789abcde")).isFalse();
		assertThat(MiniAppCredentials.isAppId("wx0123456789abcdef0")).isFalse();
		assertThat(MiniAppCredentials.isAppId("wx0123456789abcdeg")).isFalse();
		assertThat(MiniAppCredentials.isAppId("wy0123456789abcdef")).isFalse();
		assertThat(MiniAppCredentials.isAppId(null)).isFalse();
		assertThat(MiniAppCredentials.isAppId("wx" + "0".repeat(10_000))).isFalse();
		assertThat(MiniAppCredentials.isAppId("xx0123456789abcdef")).isFalse();
		assertThat(MiniAppCredentials.isAppId("ww0123456789abcdef")).isFalse();
		assertThat(MiniAppCredentials.isAppId("wx0123456789abcdeF")).isTrue();
		assertThat(MiniAppCredentials.isAppId("wx9999999999999999")).isTrue();
		assertThat(MiniAppCredentials.isAppId("wxAAAAAAAAAAAAAAAA")).isTrue();
		assertThat(MiniAppCredentials.isAppId("wxaaaaaaaaaaaaaaaa")).isTrue();
		// Every character just outside each range of hex digits, in the first and the
		// last position.
		for (char c : new char[] { '/', ':', '@', 'G', '`', 'g', '\u0663', '\uff21' }) {
			assertThat(MiniAppCredentials.isAppId("wx" + c + "123456789abcdef")).as("%s first", c).isFalse();
			assertThat(MiniAppCredentials.isAppId("wx0123456789abcde" + c)).as("%s last", c).isFalse();
		}
	}

	@Test
	void secretsAreThirtyTwoLettersAndDigits() {
		assertThat(new MiniAppCredentials("wx0123456789abcdef", SECRET).appSecret()).isEqualTo(SECRET);
		for (String malformed : new String[] { SECRET.substring(1), SECRET + "0", SECRET.substring(1) + "-", null }) {
			assertThatExceptionOfType(InvalidInputException.class).as(malformed)
				.isThrownBy(() -> new MiniAppCredentials("wx0123456789abcdef", malformed))
				.withMessage("an app secret is 32 letters and digits");
		}
	}

	@Test
	void malformedCredentialsAreRefusedWithoutRepeatingTheSecret() {
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> new MiniAppCredentials("my-app", SECRET))
			.withMessageContaining("app id");
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> new MiniAppCredentials(null, SECRET));
		String malformed = "short-secret";
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> new MiniAppCredentials("wx0123456789abcdef", malformed))
			.withMessageContaining("app secret")
			.withMessageNotContaining(malformed);
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> new MiniAppCredentials("wx0123456789abcdef", null));
	}

}
