package io.github.wechatminiapp.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Run by the build's {@code virtual-threads} profile (Java 21 or later; {@code .ci/run}
 * runs it on Java 25), which runs every test of the sample with
 * {@code spring.threads.virtual.enabled=true}: proves that the property reached the
 * application, so that the other tests of that run did run on virtual threads. Same
 * context as {@code OpenDataApiIT}, so it is not started again.
 */
@ActiveProfiles("sandbox")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@EnabledIfSystemProperty(named = "spring.threads.virtual.enabled", matches = "true")
class VirtualThreadsIT {

	@Autowired
	private WebServerApplicationContext context;

	@Test
	void tomcatServesRequestsOnVirtualThreads() {
		TomcatWebServer webServer = (TomcatWebServer) this.context.getWebServer();
		Object executor = webServer.getTomcat().getConnector().getProtocolHandler().getExecutor();
		assertThat(executor.getClass().getName()).isEqualTo("org.apache.tomcat.util.threads.VirtualThreadExecutor");
	}

}
