package io.github.wechatminiapp.sample;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * No API endpoint accepts a wildcard Content-Type, and every API request body is bounded.
 * (Who may call what is {@link SecurityConfiguration}'s, whose filters run before these:
 * the login body is bounded by its configurer.)
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter() {
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter());
		registration.addUrlPatterns("/api/*", "/sandbox/*");
		return registration;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new ConcreteContentTypeInterceptor()).addPathPatterns("/api/**");
	}

}
