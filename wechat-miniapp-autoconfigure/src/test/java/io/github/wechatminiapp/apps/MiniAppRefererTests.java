package io.github.wechatminiapp.apps;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class MiniAppRefererTests {

	@Test
	void readsTheAppIdOfAReleaseADevelopmentAndADevtoolsReferer() {
		assertThat(MiniAppReferer.appId("https://servicewechat.com/wx0123456789abcdef/12/page-frame.html"))
			.hasValue("wx0123456789abcdef");
		assertThat(MiniAppReferer.appId("https://servicewechat.com/wx0123456789ABCDEF/0/page-frame.html"))
			.hasValue("wx0123456789ABCDEF");
		assertThat(MiniAppReferer.appId("https://servicewechat.com/wx0123456789abcdef/devtools/page-frame.html"))
			.hasValue("wx0123456789abcdef");
		assertThat(MiniAppReferer.appId("https://servicewechat.com/wx0123456789abcdef/1234567890/page-frame.html"))
			.hasValue("wx0123456789abcdef");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "wx0123456789abcdef", "http://servicewechat.com/wx0123456789abcdef/1/page-frame.html",
			"https://servicewechat.com.evil/wx0123456789abcdef/1/page-frame.html",
			"https://evil.com/https://servicewechat.com/wx0123456789abcdef/1/page-frame.html",
			"https://servicewechat.com/wx0123456789abcde/1/page-frame.html",
			"https://servicewechat.com/wx0123456789abcdef0/1/page-frame.html",
			"https://servicewechat.com/wx0123456789abcdeg/1/page-frame.html",
			"https://servicewechat.com/wx0123456789abcdef//page-frame.html",
			"https://servicewechat.com/wx0123456789abcdef/12345678901/page-frame.html",
			"https://servicewechat.com/wx0123456789abcdef/1a/page-frame.html",
			"https://servicewechat.com/wx0123456789abcdef/1/page-frame.htm",
			"https://servicewechat.com/wx0123456789abcdef/1/page-frame.html?x",
			"https://servicewechat.com/wx0123456789abcdef/1/page-frameXhtml",
			"https://servicewechat.com/wx0123456789abcdef/1/page-frame.html\n",
			"HTTPS://SERVICEWECHAT.COM/wx0123456789abcdef/1/page-frame.html" })
	void anythingElseIsNoAppId(String referer) {
		assertThat(MiniAppReferer.appId(referer)).isEmpty();
	}

	@Test
	void absentOrOverlongHeadersAreNotParsed() {
		assertThat(MiniAppReferer.appId(null)).isEmpty();
		String longest = "https://servicewechat.com/wx0123456789abcdef/" + "1".repeat(10) + "/page-frame.html";
		assertThat(longest).hasSize(MiniAppReferer.MAX_LENGTH);
		assertThat(MiniAppReferer.appId(longest)).contains("wx0123456789abcdef");
		String padded = "https://servicewechat.com/wx0123456789abcdef/" + "1".repeat(MiniAppReferer.MAX_LENGTH);
		assertThat(MiniAppReferer.appId(padded)).isEmpty();
	}

}
