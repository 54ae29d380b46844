package io.github.wechatminiapp.readme;

// Exactly the README's Quick start (README.md), only the package line added: QuickStartIT runs it.

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static io.github.wechatminiapp.security.MiniAppLoginConfigurer.miniAppLogin;
import static org.springframework.security.config.Customizer.withDefaults;

@Configuration
class SecurityConfiguration {

	@Bean
	SecurityFilterChain api(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.with(miniAppLogin(), withDefaults());
		return http.build();
	}

}
