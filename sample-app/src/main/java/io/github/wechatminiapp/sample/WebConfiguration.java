package io.github.wechatminiapp.sample;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every API endpoint but login needs a logged-in user, no API endpoint accepts a wildcard Content-Type, and every
 * API request body is bounded.
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
		registry.addInterceptor(new LoggedInUserInterceptor()).addPathPatterns("/api/**").excludePathPatterns("/api/login");
		registry.addInterceptor(new ConcreteContentTypeInterceptor()).addPathPatterns("/api/**");
	}

}
