package io.github.wechatminiapp.sample;

import java.util.Set;

import io.github.wechatminiapp.test.RecordingAppender;
import io.github.wechatminiapp.test.WeChatSandbox;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after every other integration test of the sample app (class order by {@link Order}) and searches all they
 * logged for any secret or full phone number a sandbox handed out, and for any bearer token a login answered.
 */
@Order(Integer.MAX_VALUE)
class LogHygieneIT {

	@Test
	void noSecretOrPhoneNumberWasLoggedByTheWholeSuite() {
		Set<String> secrets = WeChatSandbox.issuedSecrets();
		Set<String> phoneNumbers = WeChatSandbox.issuedPhoneNumbers();
		// The suite ran before this class: it handed out secrets and logged lines, or this check proves nothing.
		assertThat(secrets).hasSizeGreaterThan(50);
		assertThat(phoneNumbers).hasSizeGreaterThan(20);
		assertThat(RecordingAppender.lines()).hasSizeGreaterThan(20);
		assertThat(RecordingAppender.overflowed()).isFalse();
		assertThat(RecordingAppender.linesContainingAny(secrets)).isEmpty();
		assertThat(RecordingAppender.linesContainingAny(phoneNumbers)).isEmpty();
		// The bearer tokens the app's logins answered to the tests' clients are secrets too.
		Set<String> bearerTokens = ApiClient.issuedTokens();
		assertThat(bearerTokens).hasSizeGreaterThan(50);
		assertThat(RecordingAppender.linesContainingAny(bearerTokens)).isEmpty();
	}

}
