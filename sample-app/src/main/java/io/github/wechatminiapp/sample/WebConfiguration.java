package io.github.wechatminiapp.sample;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every API endpoint but login needs a logged-in user, and no API endpoint accepts a wildcard Content-Type.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new LoggedInUserInterceptor()).addPathPatterns("/api/**").excludePathPatterns("/api/login");
		registry.addInterceptor(new ConcreteContentTypeInterceptor()).addPathPatterns("/api/**");
	}

}
