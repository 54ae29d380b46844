package io.github.wechatminiapp.security;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.Fault;
import io.github.wechatminiapp.test.MutableClock;
import io.github.wechatminiapp.test.RecordingAppender;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login over real HTTP, against {@link WeChatSandbox}: every answer the issue lists,
 * with Spring Security's defaults ({@code anyRequest().authenticated()}, CSRF on) and no
 * {@code permitAll()} line.
 */
@SpringBootTest(classes = { MiniAppLoginTestApp.class, MiniAppLoginIT.Overrides.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		// Many refusals come from this one client here: the flood bound has its own test
		// (MiniAppLoginFloodIT).
		properties = "wechat.miniapp.security.login.max-failures=100000")
@ExtendWith(OutputCaptureExtension.class)
class MiniAppLoginIT {

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private static final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private static final Set<String> admins = ConcurrentHashMap.newKeySet();

	private static final Set<String> banned = ConcurrentHashMap.newKeySet();

	private static final List<MiniAppPrincipal> registered = new java.util.concurrent.CopyOnWriteArrayList<>();

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private PhoneNumberService phoneNumbers;

	private Http http;

	@DynamicPropertySource
	static void sandboxProperties(DynamicPropertyRegistry registry) {
		sandbox.springProperties().forEach((name, value) -> registry.add(name, () -> value));
	}

	@BeforeEach
	void setUp() {
		this.http = new Http(this.port);
		sandbox.clearFaults();
		registered.clear();
	}

	@Test
	void loginAnswersATokenThatAuthenticatesLaterRequests() {
		WeChatSandboxUser user = sandbox.createUser();
		HttpResponse<String> login = this.http.login(sandbox.loginCode(user));
		assertThat(login.statusCode()).isEqualTo(200);
		assertThat(login.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
		assertThat(login.headers().firstValue("Cache-Control")).contains("no-store");
		JsonNode body = Http.json(login);
		assertThat(body.propertyNames()).containsExactly("token", "expiresIn", "openid");
		assertThat(body.get("token").asString()).matches("[A-Za-z0-9_-]{43}");
		assertThat(body.get("expiresIn").asLong()).isEqualTo(3600);
		assertThat(body.get("openid").asString()).isEqualTo(user.openid());
		assertThat(registered).containsExactly(new MiniAppPrincipal(sandbox.appId(), user.openid(), user.unionid()));

		HttpResponse<String> me = this.http.get("/api/me", body.get("token").asString());
		assertThat(me.statusCode()).isEqualTo(200);
		JsonNode principal = Http.json(me);
		assertThat(principal.get("appId").asString()).isEqualTo(sandbox.appId());
		assertThat(principal.get("openid").asString()).isEqualTo(user.openid());
		assertThat(principal.get("unionid").asString()).isEqualTo(user.unionid());
		assertThat(me.headers().firstValue("Set-Cookie")).isEmpty();
	}

	@Test
	void loginKeepsTheSessionKeyAsPhoneNumberServiceDoes() {
		WeChatSandboxUser user = sandbox.createUser("13900139000", "86");
		this.http.token(sandbox.loginCode(user));
		EncryptedData data = sandbox.encryptPhoneNumber(user);
		assertThat(
				this.phoneNumbers.decryptPhoneNumber(user.openid(), data.encryptedData(), data.iv()).purePhoneNumber())
			.isEqualTo("13900139000");
	}

	@Test
	void anInvalidCodeIs401InvalidCode() {
		HttpResponse<String> response = this.http.login("not-a-code-the-sandbox-issued");
		assertError(response, 401, "invalid_code");
		assertThat(registered).isEmpty();
	}

	@Test
	void aCodeSentTwiceIsTheSameLoginAndACodeUsedElsewhereIs401InvalidCode() throws Exception {
		WeChatSandboxUser user = sandbox.createUser();
		String code = sandbox.loginCode(user);
		// A double tap or a retried request: the same login, WeChat asked once.
		HttpResponse<String> first = this.http.login(code);
		HttpResponse<String> second = this.http.login(code);
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(second.statusCode()).isEqualTo(200);
		assertThat(second.body()).contains("\"openid\":\"" + user.openid() + "\"");
		assertThat(sandbox.receivedJsCodes()).containsOnlyOnce(code);
		// Exchanged by someone else first (another server), the code is used: WeChat's
		// 40163.
		String usedElsewhere = sandbox.loginCode(user);
		java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest
				.newBuilder(java.net.URI
					.create(sandbox.baseUrl() + "/sns/jscode2session?appid=" + sandbox.appId() + "&secret="
							+ sandbox.appSecret() + "&js_code=" + usedElsewhere + "&grant_type=authorization_code"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertError(this.http.login(usedElsewhere), 401, "invalid_code");
	}

	@Test
	void weChatUnreachableIs503() {
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.httpStatus(502));
		HttpResponse<String> response = this.http.login(sandbox.loginCode(sandbox.createUser()));
		assertError(response, 503, "wechat_unavailable");
		assertThat(response.headers().firstValue("Retry-After")).contains("5");
	}

	@Test
	// After a 45011 no login of the app reaches WeChat for a minute: the other tests need
	// a fresh context.
	@DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD)
	void weChatRateLimitIs429() {
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.errcode(45011));
		assertError(this.http.login(sandbox.loginCode(sandbox.createUser())), 429, "rate_limited");
	}

	@Test
	void weChatBlockingTheUserIs403() {
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.errcode(40226));
		assertError(this.http.login(sandbox.loginCode(sandbox.createUser())), 403, "login_blocked");
	}

	@Test
	void anotherWeChatRefusalIs502WithoutWeChatsMessage() {
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.errcode(99999, "secret-looking errmsg"));
		HttpResponse<String> response = this.http.login(sandbox.loginCode(sandbox.createUser()));
		assertError(response, 502, "wechat_error");
		assertThat(response.body()).doesNotContain("secret-looking");
	}

	@Test
	void aUserTheAppRefusesIs401() {
		WeChatSandboxUser user = sandbox.createUser();
		banned.add(user.openid());
		assertError(this.http.login(sandbox.loginCode(user)), 401, "login_refused");
	}

	@Test
	void aMissingTokenIs401WithABareBearerChallenge() {
		HttpResponse<String> response = this.http.get("/api/me", null);
		assertError(response, 401, "unauthorized");
		assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer");
		// Nothing kept for a caller that is not logged in: no session to remember the
		// request by.
		assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
	}

	@Test
	void aForgedTokenIs401InvalidToken() {
		this.http.token(sandbox.loginCode(sandbox.createUser()));
		assertInvalidToken(this.http.get("/api/me", "A".repeat(43)));
		assertInvalidToken(this.http.get("/api/me", "not a token"));
		assertInvalidToken(this.http.get("/api/me", ""));
	}

	@Test
	void anExpiredTokenIs401InvalidToken() {
		String token = this.http.token(sandbox.loginCode(sandbox.createUser()));
		clock.advance(Duration.ofMinutes(59));
		assertThat(this.http.get("/api/me", token).statusCode()).isEqualTo(200);
		clock.advance(Duration.ofMinutes(1));
		assertInvalidToken(this.http.get("/api/me", token));
	}

	@Test
	void logoutRevokesTheCallersTokenOnly() {
		String token = this.http.token(sandbox.loginCode(sandbox.createUser()));
		String other = this.http.token(sandbox.loginCode(sandbox.createUser()));
		HttpResponse<String> logout = this.http.post("/logout/wechat-miniapp", "", token);
		assertThat(logout.statusCode()).isEqualTo(204);
		assertInvalidToken(this.http.get("/api/me", token));
		assertInvalidToken(this.http.post("/logout/wechat-miniapp", "", token));
		assertThat(this.http.get("/api/me", other).statusCode()).isEqualTo(200);
	}

	@Test
	void logoutWithoutATokenIs401() {
		HttpResponse<String> response = this.http.post("/logout/wechat-miniapp", "", null);
		assertError(response, 401, "unauthorized");
		assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer");
	}

	@Test
	void malformedJsonIs400() {
		for (String body : new String[] { "{\"code\":", "not json", "[\"code\"]", "{}", "{\"code\":42}",
				"{\"code\":\"\"}", "{\"code\":null}", "", "{\"code\":\"" + "c".repeat(129) + "\"}" }) {
			assertError(this.http.post("/login/wechat-miniapp", body, null), 400, "invalid_request");
		}
		assertThat(sandbox.receivedJsCodes()).doesNotContain("c".repeat(129));
	}

	@Test
	void theLoginBodyIsBounded() {
		String padding = " ".repeat(1024);
		assertError(this.http.post("/login/wechat-miniapp", "{\"code\":\"x\"}" + padding, null), 413,
				"request_too_large");
		// Chunked, without a Content-Length: cut off at the bound all the same.
		byte[] large = ("{\"code\":\"x\"}" + " ".repeat(1024 * 1024)).getBytes();
		HttpResponse<String> chunked = this.http.send(this.http.request("/login/wechat-miniapp", null)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large))));
		assertError(chunked, 413, "request_too_large");
		String code = sandbox.loginCode(sandbox.createUser());
		assertThat(this.http
			.post("/login/wechat-miniapp", "{\"code\":\"" + code + "\"}" + " ".repeat(1024 - code.length() - 12), null)
			.statusCode()).isEqualTo(200);
	}

	@Test
	void theLoginIsJsonBothWays() {
		for (String type : new String[] { "text/plain", "application/x-www-form-urlencoded", "*/*", "application/*",
				"application/xml", "not a media type", "" }) {
			assertError(loginAs(type, null), 415, "unsupported_media_type");
		}
		assertError(this.http.send(this.http.request("/login/wechat-miniapp", null)
			.POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"x\"}"))), 415, "unsupported_media_type");
		assertError(loginAs("application/json", "text/html"), 406, "not_acceptable");
		assertError(loginAs("application/json", "not/a/type;;"), 406, "not_acceptable");
		assertThat(loginAs("application/json;charset=UTF-8", "application/json").statusCode()).isEqualTo(200);
		assertThat(loginAs("application/vnd.example+json", "*/*").statusCode()).isEqualTo(200);
		assertThat(loginAs("APPLICATION/JSON", "text/html, application/*;q=0.5").statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> loginAs(String contentType, String accept) {
		HttpRequest.Builder request = this.http.request("/login/wechat-miniapp", null)
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"code\":\"" + sandbox.loginCode(sandbox.createUser()) + "\"}"));
		if (!contentType.isEmpty()) {
			request.header("Content-Type", contentType);
		}
		if (accept != null) {
			request.header("Accept", accept);
		}
		return this.http.send(request);
	}

	@Test
	void aCodeSentTwiceInOneBodyIs400() {
		String code = sandbox.loginCode(sandbox.createUser());
		assertError(this.http.post("/login/wechat-miniapp", "{\"code\":\"x\",\"code\":\"" + code + "\"}", null), 400,
				"invalid_request");
		assertThat(sandbox.receivedJsCodes()).doesNotContain(code, "x");
	}

	@Test
	void nestingIsBoundedByTheBodySize() {
		String legal = "{\"x\":" + "[".repeat(400) + "]".repeat(400) + ",\"code\":\"c\"}";
		assertError(this.http.post("/login/wechat-miniapp", legal, null), 401, "invalid_code");
		String deep = "{\"x\":" + "[".repeat(2000) + "]".repeat(2000) + ",\"code\":\"c\"}";
		assertError(this.http.post("/login/wechat-miniapp", deep, null), 413, "request_too_large");
		assertError(this.http.post("/login/wechat-miniapp", "{\"code\":\"c\",\"x\":" + "[".repeat(500), null), 400,
				"invalid_request");
	}

	@Test
	void bearerRequestsNeedNoCsrfToken() {
		String token = this.http.token(sandbox.loginCode(sandbox.createUser()));
		HttpResponse<String> echo = this.http.post("/api/echo", "hello", token);
		assertThat(echo.statusCode()).isEqualTo(200);
		assertThat(echo.body()).endsWith(":hello");
	}

	@Test
	void aTokenlessJsonPostIs401UnderDefaultCsrfAndOpensNoSession() {
		HttpResponse<String> response = this.http.post("/api/echo", "hello", null);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
		assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
	}

	@Test
	void cookieRequestsKeepTheirCsrfProtection() {
		// A session cookie is what CSRF rides on: such a request needs its CSRF token,
		// JSON or not.
		HttpResponse<String> withSession = this.http.send(this.http.request("/api/echo", null)
			.header("Content-Type", "application/json")
			.header("Cookie", "JSESSIONID=0123456789ABCDEF")
			.POST(HttpRequest.BodyPublishers.ofString("hello")));
		assertThat(withSession.statusCode()).isEqualTo(403);
		// A form, which any foreign page can post, needs it too.
		HttpResponse<String> form = this.http.send(this.http.request("/api/echo", null)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("a=b")));
		assertThat(form.statusCode()).isEqualTo(403);
		// So does a body whose type cannot be read: nothing says it is JSON.
		HttpResponse<String> unreadableType = this.http.send(this.http.request("/api/echo", null)
			.header("Content-Type", "garbage")
			.POST(HttpRequest.BodyPublishers.ofString("{}")));
		assertThat(unreadableType.statusCode()).isEqualTo(403);
	}

	@Test
	void authoritiesComeFromTheUserService() {
		WeChatSandboxUser admin = sandbox.createUser();
		admins.add(admin.openid());
		String adminToken = this.http.token(sandbox.loginCode(admin));
		String userToken = this.http.token(sandbox.loginCode(sandbox.createUser()));
		assertThat(this.http.get("/api/admin", adminToken).statusCode()).isEqualTo(200);
		HttpResponse<String> denied = this.http.get("/api/admin", userToken);
		assertError(denied, 403, "insufficient_scope");
		assertThat(denied.headers().firstValue("WWW-Authenticate")).get()
			.asString()
			.startsWith("Bearer error=\"insufficient_scope\"");
	}

	@Test
	void twoAuthorizationHeadersAre400() {
		String token = this.http.token(sandbox.loginCode(sandbox.createUser()));
		HttpResponse<String> response = this.http
			.send(this.http.request("/api/me", token).header("Authorization", "Bearer " + token).GET());
		assertError(response, 400, "invalid_request");
	}

	@Test
	void otherSchemesAreLeftToOtherFilters() {
		HttpResponse<String> response = this.http
			.send(this.http.request("/api/me", null).header("Authorization", "Basic dXNlcjpwYXNz").GET());
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().allValues("WWW-Authenticate")).doesNotContain("Bearer error=\"invalid_token\"");
	}

	@Test
	void theBearerSchemeIsCaseInsensitive() {
		String token = this.http.token(sandbox.loginCode(sandbox.createUser()));
		assertThat(this.http.send(this.http.request("/api/me", null).header("Authorization", "bearer " + token).GET())
			.statusCode()).isEqualTo(200);
	}

	@Test
	void concurrentLoginsEachGetTheirOwnToken() throws Exception {
		int logins = 24;
		List<WeChatSandboxUser> users = new ArrayList<>();
		List<String> codes = new ArrayList<>();
		for (int i = 0; i < logins; i++) {
			WeChatSandboxUser user = sandbox.createUser();
			users.add(user);
			codes.add(sandbox.loginCode(user));
		}
		ExecutorService pool = Executors.newFixedThreadPool(logins);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<String>> tokens = new ArrayList<>();
			for (String code : codes) {
				tokens.add(pool.submit(() -> {
					start.await();
					return this.http.token(code);
				}));
			}
			start.countDown();
			Set<String> distinct = new HashSet<>();
			for (int i = 0; i < logins; i++) {
				String token = tokens.get(i).get(30, TimeUnit.SECONDS);
				distinct.add(token);
				assertThat(Http.json(this.http.get("/api/me", token)).get("openid").asString())
					.isEqualTo(users.get(i).openid());
			}
			assertThat(distinct).hasSize(logins);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void noTokenSessionKeyOrSecretReachesTheLogs(CapturedOutput output) {
		WeChatSandboxUser user = sandbox.createUser();
		String token = this.http.token(sandbox.loginCode(user));
		this.http.get("/api/me", token);
		this.http.post("/logout/wechat-miniapp", "", token);
		this.http.get("/api/me", token);
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.httpStatus(502));
		this.http.login(sandbox.loginCode(user));
		assertThat(output.getAll()).doesNotContain(token)
			.doesNotContain(sandbox.sessionKey(user))
			.doesNotContain(sandbox.appSecret());
	}

	@Test
	// 45011 comes last: after it no login of the app reaches WeChat for a minute, in this
	// context.
	@DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD)
	void refusalsMappedForTheClientAreLoggedAtInfoWithApiAndErrcodeOnly() {
		WeChatSandboxUser user = sandbox.createUser();
		sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.errcode(-1));
		assertThat(this.http.login(sandbox.loginCode(user)).statusCode()).isEqualTo(503);
		assertThat(RecordingAppender.lines()).noneMatch((line) -> line.contains("answered errcode -1"));
		sandbox.clearFaults();
		for (int errcode : new int[] { 40029, 40163, 40226, 45011 }) {
			sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.errcode(errcode, "LEAK-MARKER errmsg"));
			String code = sandbox.loginCode(user);
			assertThat(this.http.login(code).statusCode()).isBetween(400, 499);
			String expected = "WeChat jscode2session answered errcode " + errcode + " to a login";
			assertThat(RecordingAppender.lines()).as(expected)
				.anyMatch((line) -> line.contains(expected) && line.matches(".*, rid=[0-9a-f]+-[0-9a-f]+-[0-9a-f]+$"));
			assertThat(RecordingAppender.linesContainingAny(java.util.List.of(code))).isEmpty();
			// WeChat's errmsg is logged by the client alone, with errcode and rid (what
			// WeChat's support asks for).
			assertThat(RecordingAppender.linesContainingAny(java.util.List.of("LEAK-MARKER")))
				.allSatisfy((line) -> assertThat(line).startsWith("WeChat jscode2session refused: errcode=")
					.containsPattern("rid=[0-9a-f-]+"))
				.anySatisfy((line) -> assertThat(line).startsWith("WeChat jscode2session refused: errcode=" + errcode));
			sandbox.clearFaults();
		}
	}

	@Test
	void aLoggedInUsersErrorsStayErrors() {
		String token = this.http.token(sandbox.loginCode(sandbox.createUser()));
		HttpResponse<String> bug = this.http.get("/api/boom", token);
		assertThat(bug.statusCode()).isEqualTo(500);
		assertThat(bug.body()).doesNotContain("a bug").doesNotContain("\tat ");
		assertThat(this.http.get("/api/no-such-page", token).statusCode()).isEqualTo(404);
		// Without a token the same paths are 401: the error pages are not open to
		// everyone.
		assertThat(this.http.get("/api/boom", null).statusCode()).isEqualTo(401);
		assertThat(this.http.get("/api/no-such-page", null).statusCode()).isEqualTo(401);
		assertThat(this.http.get("/error", null).statusCode()).isEqualTo(401);
	}

	@Test
	void aPayloadThatFailsItsPaddingAndOneThatFailsItsJsonGetTheSameProblem() {
		WeChatSandboxUser user = sandbox.createUser();
		String token = this.http.token(sandbox.loginCode(user));
		// Random blocks under the user's key: the padding check fails (the decryption
		// ends for the key).
		byte[] random = new byte[48];
		new java.security.SecureRandom().nextBytes(random);
		String badPadding = "{\"encryptedData\":\"" + java.util.Base64.getEncoder().encodeToString(random)
				+ "\",\"iv\":\"" + sandbox.encrypt(user, "{}").iv() + "\"}";
		// Valid padding under the user's key, but no JSON object: the reader refuses it.
		io.github.wechatminiapp.test.EncryptedData notJson = sandbox.encrypt(user, "not a JSON object at all");
		String badPayload = "{\"encryptedData\":\"" + notJson.encryptedData() + "\",\"iv\":\"" + notJson.iv() + "\"}";
		HttpResponse<String> padding = this.http.post("/api/phone/encrypted", badPadding, token);
		HttpResponse<String> payload = this.http.post("/api/phone/encrypted", badPayload, token);
		assertThat(padding.statusCode()).as(padding.body()).isEqualTo(422).isEqualTo(payload.statusCode());
		assertThat(padding.body()).isEqualTo(payload.body());
		assertThat(padding.headers().firstValue("WWW-Authenticate")).isEmpty();
		// Refusals cost no new connection, where a 400 would: Tomcat ends keep-alive
		// after it.
		assertThat(padding.headers().firstValue("Connection")).isEmpty();
		assertThat(payload.headers().firstValue("Connection")).isEmpty();
		HttpResponse<String> malformed = this.http.post("/login/wechat-miniapp", "{", null);
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(malformed.headers().firstValue("Connection")).contains("close");
	}

	@Test
	void theStartersExceptionsInAControllerAreProblemDetails() {
		WeChatSandboxUser user = sandbox.createUser();
		String token = this.http.token(sandbox.loginCode(user));
		HttpResponse<String> refused = this.http.post("/api/phone", "{\"code\":\"made-up-phone-code\"}", token);
		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
		assertThat(refused.headers().firstValue("Content-Type")).get()
			.asString()
			.startsWith("application/problem+json");
		JsonNode problem = Http.json(refused);
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		assertThat(problem.get("error").asString()).isEqualTo("refused");
		assertThat(refused.body()).doesNotContain("made-up-phone-code")
			.doesNotContain(sandbox.appSecret())
			.doesNotContain(token)
			.doesNotContain(sandbox.sessionKey(user))
			.doesNotContain("Exception")
			.doesNotContain("\tat ");
	}

	@Test
	void twoThousandAnonymousPostsOpenNoSession() {
		int before = sessions.get();
		for (int i = 0; i < 2000; i++) {
			HttpResponse<String> response = this.http.post("/api/echo", "hello", null);
			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
		}
		assertThat(sessions.get()).isEqualTo(before);
	}

	@Test
	void loginsPublishSpringSecuritysEvents() {
		successes.clear();
		failures.clear();
		this.http.token(sandbox.loginCode(sandbox.createUser()));
		this.http.login("made-up-code");
		assertThat(successes).singleElement()
			.satisfies((event) -> assertThat(event.getAuthentication()).isInstanceOf(MiniAppAuthenticationToken.class));
		assertThat(failures).singleElement()
			.satisfies((event) -> assertThat(event).isInstanceOf(AuthenticationFailureBadCredentialsEvent.class))
			.satisfies((event) -> assertThat(event.getAuthentication().toString()).doesNotContain("made-up-code"));
	}

	@Test
	void twelveLoginsOfOneUserLeaveTenLiveTokens() {
		WeChatSandboxUser user = sandbox.createUser();
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			tokens.add(this.http.token(sandbox.loginCode(user)));
		}
		assertInvalidToken(this.http.get("/api/me", tokens.get(0)));
		assertInvalidToken(this.http.get("/api/me", tokens.get(1)));
		for (String token : tokens.subList(2, 12)) {
			assertThat(this.http.get("/api/me", token).statusCode()).isEqualTo(200);
		}
	}

	@Test
	void aSpentFailureBudgetEndsTheUsersTokens() {
		WeChatSandboxUser user = sandbox.createUser();
		WeChatSandboxUser other = sandbox.createUser();
		String token = this.http.token(sandbox.loginCode(user));
		String othersToken = this.http.token(sandbox.loginCode(other));
		EncryptedData notForThisUser = sandbox.encryptPhoneNumber(other);
		for (int i = 0; i < 10; i++) {
			try {
				this.phoneNumbers.decryptPhoneNumber(user.openid(), notForThisUser.encryptedData(),
						notForThisUser.iv());
			}
			catch (RuntimeException ex) {
				// Each refusal spends the budget, until the keys are dropped.
			}
		}
		assertInvalidToken(this.http.get("/api/me", token));
		assertThat(this.http.get("/api/me", othersToken).statusCode()).isEqualTo(200);
	}

	@Test
	void aSessionKeyResetEndsTheUsersTokens() {
		WeChatSandboxUser user = sandbox.createUser();
		WeChatSandboxUser other = sandbox.createUser();
		String token = this.http.token(sandbox.loginCode(user));
		String othersToken = this.http.token(sandbox.loginCode(other));
		this.phoneNumbers.resetSessionKey(user.openid());
		assertInvalidToken(this.http.get("/api/me", token));
		assertThat(this.http.get("/api/me", othersToken).statusCode()).isEqualTo(200);
		// A login with the new key is a new login.
		assertThat(this.http.get("/api/me", this.http.token(sandbox.loginCode(user))).statusCode()).isEqualTo(200);
	}

	private static void assertInvalidToken(HttpResponse<String> response) {
		assertError(response, 401, "invalid_token");
		assertThat(response.headers().firstValue("WWW-Authenticate")).get()
			.asString()
			.startsWith("Bearer error=\"invalid_token\"");
	}

	private static void assertError(HttpResponse<String> response, int status, String error) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		JsonNode body = Http.json(response);
		assertThat(response.headers().firstValue("Content-Type")).get()
			.asString()
			.startsWith("application/problem+json");
		assertThat(body.propertyNames()).containsExactly("detail", "instance", "status", "title", "error");
		assertThat(body.get("status").asInt()).isEqualTo(status);
		assertThat(body.get("instance").asString()).isEqualTo(response.request().uri().getPath());
		assertThat(body.get("error").asString()).isEqualTo(error);
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
	}

	private static final AtomicInteger sessions = new AtomicInteger();

	private static final List<AuthenticationSuccessEvent> successes = new CopyOnWriteArrayList<>();

	private static final List<AbstractAuthenticationFailureEvent> failures = new CopyOnWriteArrayList<>();

	@TestConfiguration(proxyBeanMethods = false)
	static class Overrides {

		@Bean
		HttpSessionListener sessionCounter() {
			return new HttpSessionListener() {

				@Override
				public void sessionCreated(HttpSessionEvent event) {
					sessions.incrementAndGet();
				}

			};
		}

		@Bean
		ApplicationListener<AuthenticationSuccessEvent> successCounter() {
			return successes::add;
		}

		@Bean
		ApplicationListener<AbstractAuthenticationFailureEvent> failureCounter() {
			return failures::add;
		}

		@Bean
		Clock tokenClock() {
			return clock;
		}

		@Bean
		MiniAppBearerTokenService clockedTokenService(MiniAppBearerTokenStore store) {
			return new OpaqueMiniAppBearerTokenService(store, Duration.ofHours(1), Duration.ZERO, clock);
		}

		@Bean
		MiniAppUserService registeringUserService() {
			return (principal) -> {
				if (banned.contains(principal.openid())) {
					throw new DisabledException("banned");
				}
				registered.add(principal);
				return admins.contains(principal.openid())
						? AuthorityUtils.createAuthorityList("ROLE_USER", "ROLE_ADMIN")
						: AuthorityUtils.createAuthorityList("ROLE_USER");
			};
		}

	}

}
