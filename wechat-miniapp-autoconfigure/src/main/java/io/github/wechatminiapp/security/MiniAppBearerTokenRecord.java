package io.github.wechatminiapp.security;

import java.time.Instant;
import java.util.List;

/**
 * What the server keeps about one bearer token, under the token's hash: never the token
 * itself.
 *
 * @param principal the user
 * @param authorities the user's authorities at login
 * @param absoluteExpiry when the token expires whatever its use
 * @param expiry when the token expires unless used before (sliding); never after
 * {@code absoluteExpiry}
 */
public record MiniAppBearerTokenRecord(MiniAppPrincipal principal, List<String> authorities, Instant absoluteExpiry,
		Instant expiry) {

	public MiniAppBearerTokenRecord {
		authorities = List.copyOf(authorities);
	}

	/**
	 * The same token with another sliding expiry.
	 * @param expiry the new expiry
	 * @return the record
	 */
	public MiniAppBearerTokenRecord withExpiry(Instant expiry) {
		return new MiniAppBearerTokenRecord(this.principal, this.authorities, this.absoluteExpiry, expiry);
	}

}
