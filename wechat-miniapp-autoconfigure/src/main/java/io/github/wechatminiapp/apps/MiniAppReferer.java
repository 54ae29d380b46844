package io.github.wechatminiapp.apps;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Reads the app id from the {@code Referer} header WeChat puts on every request of a mini
 * program: {@code https://servicewechat.com/{appid}/{version}/page-frame.html}, the
 * version being a number, or {@code devtools} in the developer tools.
 * <p>
 * This is <em>routing, not authentication</em>: any client can send any header. It only
 * chooses which app's services handle the request; a login code sent to the wrong app is
 * refused by WeChat (40029), and an openid or session of one app means nothing to
 * another.
 */
public final class MiniAppReferer {

	private static final String PREFIX = "https://servicewechat.com/";

	/**
	 * Longest header read: the longest of WeChat's form, an app id and a version of ten
	 * digits. Anything longer is not one, and is not worth a regular expression.
	 */
	static final int MAX_LENGTH = PREFIX.length() + "wx0123456789abcdef/0123456789/page-frame.html".length();

	private static final Pattern PATH = Pattern
		.compile("(wx[0-9a-fA-F]{16})/(?:[0-9]{1,10}|devtools)/page-frame\\.html");

	private MiniAppReferer() {
	}

	/**
	 * The app id of a mini program's {@code Referer} header.
	 * @param referer the header's value, may be null
	 * @return the app id, or empty when the header is absent, too long or not exactly of
	 * WeChat's form
	 */
	public static Optional<String> appId(@Nullable String referer) {
		if (referer == null || referer.length() > MAX_LENGTH || !referer.startsWith(PREFIX)) {
			return Optional.empty();
		}
		Matcher matcher = PATH.matcher(referer).region(PREFIX.length(), referer.length());
		return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
	}

}
