package io.github.wechatminiapp.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bearer token as the client sent it: the provider reads it as the credentials, and
 * nothing that prints the authentication (a log line, a debugger) shows it.
 */
class MiniAppBearerTokenAuthenticationTokenTests {

	private static final String TOKEN = "a-bearer-token-as-sent";

	private final MiniAppBearerTokenAuthenticationToken authentication = new MiniAppBearerTokenAuthenticationToken(
			TOKEN);

	@Test
	void theCredentialsAreTheTokenSent() {
		assertThat(this.authentication.getCredentials()).isEqualTo(TOKEN);
		assertThat(this.authentication.token()).isEqualTo(TOKEN);
		assertThat(this.authentication.getPrincipal()).isEmpty();
		assertThat(this.authentication.isAuthenticated()).isFalse();
		assertThat(this.authentication.getAuthorities()).isEmpty();
	}

	@Test
	void toStringNeverShowsTheToken() {
		assertThat(this.authentication.toString()).isEqualTo("MiniAppBearerTokenAuthenticationToken[token=******]")
			.doesNotContain(TOKEN);
	}

}
