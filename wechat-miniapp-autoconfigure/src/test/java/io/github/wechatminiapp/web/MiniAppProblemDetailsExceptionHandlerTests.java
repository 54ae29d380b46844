package io.github.wechatminiapp.web;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.StoreAccessException;
import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.autoconfigure.WeChatMiniAppProblemDetailsAutoConfiguration;
import io.github.wechatminiapp.client.WeChatApi;
import io.github.wechatminiapp.client.WeChatApiException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The problem-details answer to the starter's exceptions escaping a controller, through
 * Spring MVC, and the conditions of its auto-configuration.
 */
class MiniAppProblemDetailsExceptionHandlerTests {

	private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Throwing())
		.setControllerAdvice(new MiniAppProblemDetailsExceptionHandler())
		.build();

	@Test
	void aStartersExceptionIsProblemDetails() throws Exception {
		this.mvc.perform(get("/store"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(header().string("Retry-After", "5"))
			.andExpect(header().string("Cache-Control", "no-store"))
			.andExpect(jsonPath("$.status").value(503))
			.andExpect(jsonPath("$.title").value("Service Unavailable"))
			.andExpect(jsonPath("$.error").value("store_unavailable"))
			.andExpect(jsonPath("$.detail").value("The server cannot answer now: try again later"));
	}

	@Test
	void theBodyHoldsNoMessageNoStackTraceNoSecret() throws Exception {
		String body = this.mvc.perform(get("/refused"))
			.andExpect(status().isBadRequest())
			.andExpect(header().doesNotExist("Retry-After"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(body).doesNotContain("SECRET-MARKER").doesNotContain("Exception").doesNotContain("\tat ");
		assertThat(body).contains("\"error\":\"refused\"");
	}

	@Test
	void whatTheTableDoesNotNameGoesOn() {
		WeChatMiniAppException unnamed = new WeChatMiniAppException("x");
		assertThatExceptionOfType(WeChatMiniAppException.class)
			.isThrownBy(() -> new MiniAppProblemDetailsExceptionHandler().handle(unnamed))
			.isSameAs(unnamed);
	}

	@Test
	void theProblemDetailCarriesTheErrorCode() {
		ResponseEntity<ProblemDetail> answer = new MiniAppProblemDetailsExceptionHandler()
			.handle(new InvalidInputException("x"));
		assertThat(answer.getStatusCode().value()).isEqualTo(400);
		assertThat(answer.getBody().getProperties()).containsEntry("error", "invalid_request");
		assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void autoConfiguredInServletApplicationsUnlessTurnedOffOrReplaced() {
		WebApplicationContextRunner runner = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WeChatMiniAppProblemDetailsAutoConfiguration.class));
		runner.run((context) -> assertThat(context).hasSingleBean(MiniAppProblemDetailsExceptionHandler.class));
		runner.withPropertyValues("wechat.miniapp.problem-details.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MiniAppProblemDetailsExceptionHandler.class));
		runner.withPropertyValues("wechat.miniapp.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MiniAppProblemDetailsExceptionHandler.class));
		runner.withUserConfiguration(Own.class)
			.run((context) -> assertThat(context.getBean(MiniAppProblemDetailsExceptionHandler.class))
				.isSameAs(Own.HANDLER));
		runner.withClassLoader(new FilteredClassLoader("org.springframework.web.servlet"))
			.run((context) -> assertThat(context).doesNotHaveBean(MiniAppProblemDetailsExceptionHandler.class));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WeChatMiniAppProblemDetailsAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(MiniAppProblemDetailsExceptionHandler.class));
	}

	@RestController
	static class Throwing {

		@GetMapping("/store")
		String store() {
			throw new StoreAccessException("redis", "session keys", new IllegalStateException("down"));
		}

		@GetMapping("/refused")
		String refused() {
			throw new WeChatApiException(WeChatApi.GET_USER_PHONE_NUMBER, 40029, "SECRET-MARKER");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Own {

		static final MiniAppProblemDetailsExceptionHandler HANDLER = new MiniAppProblemDetailsExceptionHandler();

		@Bean
		MiniAppProblemDetailsExceptionHandler ownHandler() {
			return HANDLER;
		}

	}

}
