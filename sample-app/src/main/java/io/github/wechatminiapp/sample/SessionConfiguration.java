package io.github.wechatminiapp.sample;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.session.web.http.HeaderHttpSessionIdResolver;
import org.springframework.session.web.http.HttpSessionIdResolver;

/**
 * The app's own sessions, kept by Spring Session. {@code wx.request} keeps no cookies, so the session id travels
 * in the {@code X-Auth-Token} header: {@code POST /api/login} answers it, the mini program sends it back.
 * Sessions live in memory; a real deployment with several instances would use Spring Session's Redis or JDBC
 * repository instead.
 */
@Configuration(proxyBeanMethods = false)
@EnableSpringHttpSession
@EnableScheduling
public class SessionConfiguration {

	/** The header carrying the session token, both ways. */
	public static final String TOKEN_HEADER = "X-Auth-Token";

	private final Map<String, Session> sessions = new ConcurrentHashMap<>();

	@Bean
	MapSessionRepository sessionRepository(
			@Value("${server.servlet.session.timeout:30m}") Duration timeout) {
		MapSessionRepository repository = new MapSessionRepository(this.sessions);
		repository.setDefaultMaxInactiveInterval(timeout);
		return repository;
	}

	@Bean
	HttpSessionIdResolver httpSessionIdResolver() {
		return HeaderHttpSessionIdResolver.xAuthToken();
	}

	/**
	 * {@link MapSessionRepository} drops an expired session only when it is asked for; this drops the rest.
	 */
	@Scheduled(fixedDelayString = "${sample.session.purge-interval:1m}")
	void purgeExpiredSessions() {
		this.sessions.values().removeIf(Session::isExpired);
	}

}
