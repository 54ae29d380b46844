package io.github.wechatminiapp.security;

import java.net.http.HttpResponse;

import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxConfiguration;
import io.github.wechatminiapp.test.WithMockMiniAppUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static io.github.wechatminiapp.test.MiniAppUserRequestPostProcessors.miniAppUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The test module's Spring support, on the README's security configuration:
 * {@code @WithMockMiniAppUser} and {@code miniAppUser()} test an application's own
 * controllers without a sandbox; {@code WeChatSandboxConfiguration} runs the application
 * against a sandbox the {@code spring-boot:test-run} way.
 */
@SpringBootTest(classes = MiniAppLoginTestApp.class, properties = { "wechat.miniapp.app-id=wx0123456789abcdef",
		"wechat.miniapp.app-secret=0123456789abcdef0123456789abcdef" })
class MiniAppTestSupportTests {

	@Autowired
	private WebApplicationContext context;

	private MockMvc mvc;

	@BeforeEach
	void setUp() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).apply(springSecurity()).build();
	}

	@Test
	@WithMockMiniAppUser(openid = "o-alice", unionid = "u-alice")
	void aMockUserIsThePrincipalOfTheRequest() throws Exception {
		this.mvc.perform(get("/api/me"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.appId").value("wx0123456789abcdef"))
			.andExpect(jsonPath("$.openid").value("o-alice"))
			.andExpect(jsonPath("$.unionid").value("u-alice"));
		this.mvc.perform(get("/api/admin")).andExpect(status().isForbidden());
	}

	@Test
	@WithMockMiniAppUser(appId = "wx1111111111111111", roles = { "USER", "ADMIN" })
	void aMockUserHasTheRolesAndAppItIsGiven() throws Exception {
		this.mvc.perform(get("/api/admin")).andExpect(status().isOk());
		this.mvc.perform(get("/api/me"))
			.andExpect(jsonPath("$.appId").value("wx1111111111111111"))
			.andExpect(jsonPath("$.openid").value("o-mock-user"))
			.andExpect(jsonPath("$.unionid").doesNotExist());
	}

	@Test
	void aRequestPostProcessorMakesOneRequestAUsers() throws Exception {
		this.mvc.perform(get("/api/me").with(miniAppUser().openid("o-bob").unionid("u-bob")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.openid").value("o-bob"))
			.andExpect(jsonPath("$.unionid").value("u-bob"));
		this.mvc.perform(get("/api/admin").with(miniAppUser().appId("wx2222222222222222").roles("ADMIN")))
			.andExpect(status().isOk());
		this.mvc.perform(get("/api/admin").with(miniAppUser())).andExpect(status().isForbidden());
		// Without one, the request is anonymous: the bearer challenge.
		this.mvc.perform(get("/api/me")).andExpect(status().isUnauthorized());
	}

	@Test
	void anApplicationRunsAgainstTheSandboxTheSpringBootWay() {
		SpringApplication.Running running = SpringApplication.from(MiniAppLoginTestApp::main)
			.with(WeChatSandboxConfiguration.class)
			.run("--server.port=0", "--server.address=127.0.0.1");
		ConfigurableApplicationContext application = running.getApplicationContext();
		try {
			WeChatSandbox sandbox = application.getBean(WeChatSandbox.class);
			assertThat(application.getEnvironment().getProperty("wechat.miniapp.api-base-url"))
				.isEqualTo(sandbox.baseUrl());
			Http http = new Http(((WebServerApplicationContext) application).getWebServer().getPort());
			HttpResponse<String> login = http.login(sandbox.loginCode(sandbox.createUser()));
			assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
		}
		finally {
			application.close();
		}
	}

}
