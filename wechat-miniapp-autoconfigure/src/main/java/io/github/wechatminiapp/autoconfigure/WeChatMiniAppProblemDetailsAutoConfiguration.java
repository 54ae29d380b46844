package io.github.wechatminiapp.autoconfigure;

import io.github.wechatminiapp.web.MiniAppProblemDetailsExceptionHandler;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Answers the starter's exceptions escaping a controller as RFC 9457 problem details
 * ({@link MiniAppProblemDetailsExceptionHandler}), in servlet applications with Spring
 * MVC. Off with {@code wechat.miniapp.problem-details.enabled=false}; replaced by a bean
 * of the application's own.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
@ConditionalOnBooleanProperty(name = "wechat.miniapp.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "wechat.miniapp.problem-details.enabled", matchIfMissing = true)
public final class WeChatMiniAppProblemDetailsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MiniAppProblemDetailsExceptionHandler miniAppProblemDetailsExceptionHandler() {
		return new MiniAppProblemDetailsExceptionHandler();
	}

}
