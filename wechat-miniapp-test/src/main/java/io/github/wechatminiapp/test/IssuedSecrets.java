package io.github.wechatminiapp.test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret and phone number any sandbox in this JVM has handed out, so a test suite
 * can prove none of them reached its logs or responses.
 */
final class IssuedSecrets {

	private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

	private static final Set<String> PHONE_NUMBERS = ConcurrentHashMap.newKeySet();

	private IssuedSecrets() {
	}

	static String secret(String value) {
		SECRETS.add(value);
		return value;
	}

	static void phoneNumber(WeChatSandboxUser user) {
		PHONE_NUMBERS.add(user.purePhoneNumber());
	}

	static Set<String> secrets() {
		return Set.copyOf(SECRETS);
	}

	static Set<String> phoneNumbers() {
		return Set.copyOf(PHONE_NUMBERS);
	}

}
