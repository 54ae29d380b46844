package io.github.wechatminiapp.benchmarks.endtoend;

import java.util.Map;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.crypto.OpenDataException;
import io.github.wechatminiapp.phone.PhoneNumber;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.security.MiniAppPrincipal;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import static io.github.wechatminiapp.security.MiniAppLoginConfigurer.miniAppLogin;
import static org.springframework.security.config.Customizer.withDefaults;

/**
 * The application {@link EndToEndBenchmark} drives: the security of the README's Quick
 * start (every request authenticated, {@code miniAppLogin()} with its defaults, so
 * {@code POST /login/wechat-miniapp} logs in and bearer tokens authenticate) and three
 * endpoints, whose refusals the starter's problem-details handler answers (422
 * {@code invalid_data}), as in any application that adds nothing.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class EndToEndApplication {

	/** Where the three endpoints are. */
	static final String ECHO = "/api/echo";

	static final String PHONE_BY_ENCRYPTED_DATA = "/api/phone/encrypted";

	static final String PHONE_BY_CODE = "/api/phone/code";

	/**
	 * The same decryption as {@link #PHONE_BY_ENCRYPTED_DATA}, its refusals answered 400
	 * instead of the starter's 422.
	 */
	static final String PHONE_BY_ENCRYPTED_DATA_REFUSED_400 = "/api/phone/encrypted-400";

	@Bean
	SecurityFilterChain api(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.with(miniAppLogin(), withDefaults());
		return http.build();
	}

	@RestController
	static final class Endpoints {

		private final PhoneNumberService phoneNumbers;

		Endpoints(PhoneNumberService phoneNumbers) {
			this.phoneNumbers = phoneNumbers;
		}

		/**
		 * The baseline: the same authentication, body reading and JSON writing, and no
		 * WeChat work.
		 */
		@PostMapping(ECHO)
		Map<String, String> echo(@RequestBody Map<String, String> body) {
			return body;
		}

		@PostMapping(PHONE_BY_ENCRYPTED_DATA)
		PhoneNumber phoneByEncryptedData(@AuthenticationPrincipal MiniAppPrincipal user,
				@RequestBody Map<String, String> body) {
			return this.phoneNumbers.decryptPhoneNumber(user.openid(), body.get("encryptedData"), body.get("iv"));
		}

		@PostMapping(PHONE_BY_CODE)
		PhoneNumber phoneByCode(@AuthenticationPrincipal MiniAppPrincipal user, @RequestBody Map<String, String> body) {
			return this.phoneNumbers.getPhoneNumber(user.openid(), body.get("code"));
		}

	}

	/**
	 * {@link #PHONE_BY_ENCRYPTED_DATA} with its refusals answered 400 by a handler of its
	 * own (which wins over the starter's): what an application that maps them to 400
	 * pays. Tomcat closes the connection after every 400 (and 408, 411, 413, 414, 500,
	 * 501, 503; see {@code Http11Processor.statusDropsConnection}), never after the
	 * starter's 422, so the two measure what the closed connection costs a refusal.
	 */
	@RestController
	static final class RefusedWith400 {

		private static final Map<String, String> REFUSED = Map.of("error", "invalid_data");

		private static final Map<String, String> LOGIN_REQUIRED = Map.of("error", "login_required");

		private final PhoneNumberService phoneNumbers;

		RefusedWith400(PhoneNumberService phoneNumbers) {
			this.phoneNumbers = phoneNumbers;
		}

		@PostMapping(PHONE_BY_ENCRYPTED_DATA_REFUSED_400)
		PhoneNumber phoneByEncryptedData(@AuthenticationPrincipal MiniAppPrincipal user,
				@RequestBody Map<String, String> body) {
			return this.phoneNumbers.decryptPhoneNumber(user.openid(), body.get("encryptedData"), body.get("iv"));
		}

		@ExceptionHandler
		ResponseEntity<Map<String, String>> openData(OpenDataException ex) {
			return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(REFUSED);
		}

		@ExceptionHandler
		ResponseEntity<Map<String, String>> loginRequired(LoginRequiredException ex) {
			if (ex.reason() == LoginRequiredException.Reason.NO_SESSION_KEY) {
				return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(LOGIN_REQUIRED);
			}
			return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(REFUSED);
		}

	}

}
