package io.github.wechatminiapp.sample;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Answers 415 to a request whose {@code Content-Type} is a wildcard such as
 * {@code *}{@code /*} or {@code application/*}. Spring MVC reads such a header as an
 * {@code IllegalArgumentException} while resolving the {@code @RequestBody}
 * (spring-projects/spring-framework#27957), which would otherwise end as a 500.
 */
class ConcreteContentTypeInterceptor implements HandlerInterceptor {

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws HttpMediaTypeNotSupportedException {
		String header = request.getContentType();
		if (!(handler instanceof HandlerMethod) || header == null || header.isBlank()) {
			return true;
		}
		MediaType contentType;
		try {
			contentType = MediaType.parseMediaType(header);
		}
		catch (InvalidMediaTypeException ex) {
			return true; // Spring MVC answers 415 to these itself
		}
		if (!contentType.isConcrete()) {
			throw new HttpMediaTypeNotSupportedException(contentType, List.of(MediaType.APPLICATION_JSON),
					HttpMethod.valueOf(request.getMethod()));
		}
		return true;
	}

}
