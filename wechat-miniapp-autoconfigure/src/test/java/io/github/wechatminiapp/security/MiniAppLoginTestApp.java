package io.github.wechatminiapp.security;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.wechatminiapp.phone.PhoneNumberService;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import static io.github.wechatminiapp.security.MiniAppLoginConfigurer.miniAppLogin;

/**
 * A backend secured the way the README shows: every request authenticated, the mini
 * program login in one line.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(MiniAppLoginTestApp.Api.class)
public class MiniAppLoginTestApp {

	public static void main(String[] args) {
		SpringApplication.run(MiniAppLoginTestApp.class, args);
	}

	@Bean
	SecurityFilterChain api(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests(
				(requests) -> requests.requestMatchers("/api/admin").hasRole("ADMIN").anyRequest().authenticated())
			.with(miniAppLogin(), Customizer.withDefaults());
		return http.build();
	}

	@RestController
	static class Api {

		private final PhoneNumberService phoneNumbers;

		Api(PhoneNumberService phoneNumbers) {
			this.phoneNumbers = phoneNumbers;
		}

		@GetMapping("/api/me")
		Map<String, String> me(@AuthenticationPrincipal MiniAppPrincipal user) {
			Map<String, String> me = new LinkedHashMap<>();
			me.put("appId", user.appId());
			me.put("openid", user.openid());
			me.put("unionid", user.unionid());
			return me;
		}

		@PostMapping("/api/echo")
		String echo(@AuthenticationPrincipal MiniAppPrincipal user, @RequestBody String body) {
			return user.openid() + ":" + body;
		}

		@GetMapping("/api/admin")
		String admin() {
			return "admin";
		}

		@GetMapping("/api/boom")
		String boom() {
			throw new IllegalStateException("a bug");
		}

		@PostMapping("/api/phone")
		String phone(@AuthenticationPrincipal MiniAppPrincipal user, @RequestBody Map<String, String> body) {
			return this.phoneNumbers.getPhoneNumber(user.openid(), body.get("code")).purePhoneNumber();
		}

		@PostMapping("/api/phone/encrypted")
		String encryptedPhone(@AuthenticationPrincipal MiniAppPrincipal user, @RequestBody Map<String, String> body) {
			return this.phoneNumbers.decryptPhoneNumber(user.openid(), body.get("encryptedData"), body.get("iv"))
				.purePhoneNumber();
		}

	}

}
