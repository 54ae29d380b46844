package io.github.wechatminiapp.security;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.StoreAccessException;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatCommunicationException;
import io.github.wechatminiapp.phone.MiniAppLogin;
import io.github.wechatminiapp.phone.PhoneNumberService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The login endpoint: reads {@code {"code": "..."}} (bounded in size), exchanges the code through
 * {@link PhoneNumberService#login(String)} (which keeps the session key), lets the {@link MiniAppUserService} grant
 * authorities and answers {@code {"token","expiresIn","openid"}}. Every failure is a JSON error with a fixed
 * message.
 */
final class MiniAppLoginFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(MiniAppLoginFilter.class);

	// One "code" read, never the first of two: a duplicate makes the body ambiguous.
	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private static final int MAX_CODE_LENGTH = 128;

	private final RequestMatcher loginRequest;

	private final PhoneNumberServiceResolver phoneNumberServices;

	private final MiniAppUserService userService;

	private final MiniAppBearerTokenService tokenService;

	private final int maxBodySize;

	MiniAppLoginFilter(RequestMatcher loginRequest, PhoneNumberServiceResolver phoneNumberServices,
			MiniAppUserService userService, MiniAppBearerTokenService tokenService, int maxBodySize) {
		this.loginRequest = loginRequest;
		this.phoneNumberServices = phoneNumberServices;
		this.userService = userService;
		this.tokenService = tokenService;
		this.maxBodySize = maxBodySize;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.loginRequest.matches(request)) {
			chain.doFilter(request, response);
			return;
		}
		if (!isJsonBody(request)) {
			MiniAppErrors.write(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
					"Send the login as Content-Type: application/json");
			return;
		}
		if (!acceptsJson(request)) {
			MiniAppErrors.write(response, HttpServletResponse.SC_NOT_ACCEPTABLE, "not_acceptable",
					"The login answers application/json");
			return;
		}
		if (request.getContentLengthLong() > this.maxBodySize) {
			tooLarge(response);
			return;
		}
		byte[] body;
		try (InputStream in = request.getInputStream()) {
			body = in.readNBytes(this.maxBodySize + 1);
		}
		if (body.length > this.maxBodySize) {
			tooLarge(response);
			return;
		}
		String code = code(body);
		if (code == null) {
			MiniAppErrors.write(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request",
					"The body must be a JSON object with the wx.login code: {\"code\": \"...\"}");
			return;
		}
		try {
			login(request, response, code);
		}
		catch (InvalidInputException ex) {
			MiniAppErrors.write(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request",
					"The login request is not valid");
		}
		catch (WeChatApiException ex) {
			weChatRefused(response, ex);
		}
		catch (WeChatCommunicationException ex) {
			// The starter's message names the API and the failure, never the URL with the secret.
			logger.warn(ex.getMessage());
			response.setHeader(HttpHeaders.RETRY_AFTER, "5");
			MiniAppErrors.write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "wechat_unavailable",
					"WeChat could not be reached: call wx.login again and retry");
		}
		catch (StoreAccessException ex) {
			logger.warn("Login failed: " + ex.getMessage());
			MiniAppErrors.write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "store_unavailable",
					"The server cannot log users in right now: try again later");
		}
		catch (AuthenticationException ex) {
			MiniAppErrors.write(response, HttpServletResponse.SC_UNAUTHORIZED, "login_refused",
					"This user may not log in");
		}
	}

	private void login(HttpServletRequest request, HttpServletResponse response, String code) throws IOException {
		PhoneNumberService service = this.phoneNumberServices.resolve(request);
		MiniAppLogin login = service.login(code);
		MiniAppPrincipal principal = new MiniAppPrincipal(service.appId(), login.openid(), login.unionid());
		Collection<? extends GrantedAuthority> authorities = this.userService.onLogin(principal);
		MiniAppBearerToken token = this.tokenService.issue(principal, authorities);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("token", token.value());
		body.put("expiresIn", token.expiresIn().toSeconds());
		body.put("openid", principal.openid());
		MiniAppErrors.writeJson(response, HttpServletResponse.SC_OK, body);
	}

	/** Whether the body is declared JSON: {@code application/json} or {@code application/*+json}. */
	private static boolean isJsonBody(HttpServletRequest request) {
		try {
			MediaType type = MediaType.parseMediaType(request.getContentType());
			return type.getType().equals("application")
					&& (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/** Whether the client takes a JSON answer: no Accept header, or one that includes {@code application/json}. */
	private static boolean acceptsJson(HttpServletRequest request) {
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		if (accept == null || accept.isBlank()) {
			return true;
		}
		try {
			return MediaType.parseMediaTypes(accept)
				.stream()
				.anyMatch((type) -> type.includes(MediaType.APPLICATION_JSON));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	/** The code, or {@code null} when the body is not one JSON object with a string code of a sane length. */
	private static String code(byte[] body) {
		JsonNode json;
		try {
			json = JSON.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
		if (json == null || !json.isObject() || !json.path("code").isString()) {
			return null;
		}
		String code = json.path("code").asString();
		return (code.isBlank() || code.length() > MAX_CODE_LENGTH) ? null : code;
	}

	private static void weChatRefused(HttpServletResponse response, WeChatApiException ex) throws IOException {
		if (isMappedToTheClient(ex.errcode())) {
			// What the client is told in its words, the server's log in WeChat's: the API, the errcode and the rid
			// WeChat's support asks for, never the code (WeChat's errmsg is in the client's own line).
			logger.info("WeChat " + ex.api().apiName() + " answered errcode " + ex.errcode() + " to a login, rid="
					+ ex.rid().orElse("none"));
		}
		switch (ex.errcode()) {
			case 40029, 40163 -> MiniAppErrors.write(response, HttpServletResponse.SC_UNAUTHORIZED, "invalid_code",
					"The login code is invalid, expired or already used: call wx.login again for a new one");
			case 45011 -> {
				response.setHeader(HttpHeaders.RETRY_AFTER, "60");
				MiniAppErrors.write(response, 429, "rate_limited",
						"Too many logins for this user: wait a minute and try again");
			}
			case 40226 -> MiniAppErrors.write(response, HttpServletResponse.SC_FORBIDDEN, "login_blocked",
					"WeChat refused this login for security reasons");
			case -1 -> {
				response.setHeader(HttpHeaders.RETRY_AFTER, "5");
				MiniAppErrors.write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "wechat_busy",
						"WeChat is busy: call wx.login again in a few seconds");
			}
			default -> {
				// errcode only; the exception message would add WeChat's errmsg.
				logger.warn("WeChat refused a login with errcode " + ex.errcode() + ", rid=" + ex.rid().orElse("none"));
				MiniAppErrors.write(response, HttpServletResponse.SC_BAD_GATEWAY, "wechat_error",
						"WeChat refused the login");
			}
		}
	}

	private static boolean isMappedToTheClient(int errcode) {
		return errcode == 40029 || errcode == 40163 || errcode == 45011 || errcode == 40226;
	}

	private static void tooLarge(HttpServletResponse response) throws IOException {
		MiniAppErrors.write(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "request_too_large",
				"The login body is too large");
	}

}
