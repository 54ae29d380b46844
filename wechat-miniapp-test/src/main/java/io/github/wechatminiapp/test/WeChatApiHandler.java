package io.github.wechatminiapp.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The WeChat server API endpoints. Each answers HTTP 200, errors included, as WeChat
 * does.
 */
final class WeChatApiHandler {

	private static final byte[] MALFORMED_BODY = "{\"errcode\":0,\"session_".getBytes(StandardCharsets.UTF_8);

	private final WeChatSandbox sandbox;

	WeChatApiHandler(WeChatSandbox sandbox) {
		this.sandbox = sandbox;
	}

	void handle(HttpExchange exchange, WeChatEndpoint api) throws IOException {
		Map<String, String> query = HttpExchanges.query(exchange);
		RequestLog log = this.sandbox.requestLog();
		log.record(api);
		if (api == WeChatEndpoint.JSCODE2SESSION && query.containsKey("js_code")) {
			log.recordJsCode(query.get("js_code"));
		}
		String contentType = (api == WeChatEndpoint.JSCODE2SESSION) ? HttpExchanges.TEXT_PLAIN : HttpExchanges.JSON;
		RequestLog.Outage outage = log.outage(api);
		Fault fault = (outage != null) ? outage.fault() : log.nextFault(api);
		if (fault != null && applyFault(exchange, fault, contentType, outage)) {
			return;
		}
		if (api == WeChatEndpoint.GET_WXACODE_UNLIMIT) {
			getWxaCodeUnlimit(exchange, query);
			return;
		}
		if (handledInApiSecurityMode(exchange, api, query)) {
			return;
		}
		Map<String, Object> response = switch (api) {
			case JSCODE2SESSION -> jscode2session(query);
			case TOKEN -> token(query);
			case STABLE_TOKEN -> stableToken(exchange);
			case GET_USER_PHONE_NUMBER -> getUserPhoneNumber(exchange, query);
			case CHECK_SESSION -> checkSession(query, false);
			case RESET_USER_SESSION_KEY -> checkSession(query, true);
			case GENERATE_URLLINK -> generateUrlLink(exchange, query);
			case GET_WXACODE_UNLIMIT -> throw new IllegalStateException("answered above");
		};
		HttpExchanges.sendJson(exchange, 200, contentType, response);
	}

	/**
	 * Acts out a fault: the next one queued for the API, or its outage's.
	 * @param exchange the request
	 * @param fault the fault
	 * @param contentType the content type of the API's answers
	 * @param outage the API's outage, whose end a hanging fault waits for, or
	 * {@code null}
	 * @return whether the fault answered the request; a delay only postpones normal
	 * handling
	 */
	private static boolean applyFault(HttpExchange exchange, Fault fault, String contentType,
			RequestLog.@Nullable Outage outage) throws IOException {
		switch (fault.kind()) {
			case ERRCODE ->
				HttpExchanges.sendJson(exchange, 200, contentType, WeChatErrors.body(fault.code(), fault.errmsg()));
			case HTTP_STATUS -> HttpExchanges.send(exchange, fault.code(), HttpExchanges.HTML, errorPage(fault.code()));
			case MALFORMED_BODY -> HttpExchanges.send(exchange, 200, contentType, MALFORMED_BODY);
			case EMPTY_BODY -> HttpExchanges.send(exchange, 200, contentType, new byte[0]);
			case DELAY -> {
				try {
					Thread.sleep(fault.delay().toMillis());
				}
				catch (InterruptedException ex) {
					// The sandbox is closing: drop the request rather than answer from a
					// dying server.
					Thread.currentThread().interrupt();
					return true;
				}
				return false;
			}
			case HANG -> {
				try {
					if (outage != null) {
						outage.awaitEnd();
					}
					else {
						Thread.sleep(fault.delay().toMillis());
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				// Never answered: the connection closes, as a silent network's would be
				// cut.
			}
		}
		return true;
	}

	private static byte[] errorPage(int status) {
		String title = status + " " + reason(status);
		return ("<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
				+ "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
			.getBytes(StandardCharsets.UTF_8);
	}

	private static String reason(int status) {
		return switch (status) {
			case 400 -> "Bad Request";
			case 403 -> "Forbidden";
			case 404 -> "Not Found";
			case 429 -> "Too Many Requests";
			case 500 -> "Internal Server Error";
			case 502 -> "Bad Gateway";
			case 503 -> "Service Temporarily Unavailable";
			case 504 -> "Gateway Time-out";
			default -> "Error";
		};
	}

	private Map<String, Object> jscode2session(Map<String, String> query) {
		Map<String, Object> error = checkApp(query.get("appid"), query.get("secret"));
		if (error != null) {
			return error;
		}
		if (!"authorization_code".equals(query.get("grant_type"))) {
			return WeChatErrors.body(WeChatErrors.INVALID_GRANT_TYPE);
		}
		String jsCode = query.get("js_code");
		if (jsCode == null || jsCode.isEmpty()) {
			return WeChatErrors.body(WeChatErrors.CODE_MISSING);
		}
		String appId = query.get("appid");
		// A code of another app's user is unknown to this app (40029), and stays usable
		// by its own.
		OneTimeCodes.Redemption redemption = this.sandbox.loginCodes()
			.redeem(jsCode, (openid) -> appId.equals(this.sandbox.appOf(openid)));
		switch (redemption.outcome()) {
			case OK -> {
			}
			case USED -> {
				return WeChatErrors.body(WeChatErrors.CODE_BEEN_USED);
			}
			default -> {
				return WeChatErrors.body(WeChatErrors.INVALID_CODE);
			}
		}
		WeChatSandboxUser user = this.sandbox.users().find(redemption.openid());
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("session_key", this.sandbox.users().sessionKey(user.openid()));
		response.put("openid", user.openid());
		if (user.unionid() != null) {
			response.put("unionid", user.unionid());
		}
		return response;
	}

	private Map<String, Object> token(Map<String, String> query) {
		Map<String, Object> error = checkApp(query.get("appid"), query.get("secret"));
		if (error != null) {
			return error;
		}
		if (!"client_credential".equals(query.get("grant_type"))) {
			return WeChatErrors.body(WeChatErrors.INVALID_GRANT_TYPE);
		}
		return tokenBody(this.sandbox.accessTokens(query.get("appid")).issueToken());
	}

	private Map<String, Object> stableToken(HttpExchange exchange) throws IOException {
		if (!"POST".equals(exchange.getRequestMethod())) {
			return WeChatErrors.body(WeChatErrors.REQUIRE_POST);
		}
		JsonNode request = HttpExchanges.jsonObject(HttpExchanges.body(exchange));
		if (request == null) {
			return WeChatErrors.body(WeChatErrors.DATA_FORMAT_ERROR);
		}
		Map<String, Object> error = checkApp(HttpExchanges.text(request, "appid"),
				HttpExchanges.text(request, "secret"));
		if (error != null) {
			return error;
		}
		if (!"client_credential".equals(HttpExchanges.text(request, "grant_type"))) {
			return WeChatErrors.body(WeChatErrors.INVALID_GRANT_TYPE);
		}
		JsonNode forceRefresh = request.get("force_refresh");
		if (forceRefresh != null && !forceRefresh.isBoolean() && !forceRefresh.isNull()) {
			return WeChatErrors.body(WeChatErrors.DATA_FORMAT_ERROR);
		}
		boolean force = forceRefresh != null && forceRefresh.asBoolean();
		AccessTokens.Issued issued = this.sandbox.accessTokens(HttpExchanges.text(request, "appid")).stableToken(force);
		return (issued != null) ? tokenBody(issued) : WeChatErrors.body(WeChatErrors.DAILY_LIMIT);
	}

	/**
	 * The hook of the API security mode: an app that has it on gets its phone numbers
	 * only through the envelope.
	 * @param exchange the request
	 * @param api the endpoint called
	 * @param query the query parameters
	 * @return whether the request was answered
	 */
	private boolean handledInApiSecurityMode(HttpExchange exchange, WeChatEndpoint api, Map<String, String> query)
			throws IOException {
		String accessToken = query.get("access_token");
		String appId = (accessToken != null) ? this.sandbox.appOfToken(accessToken) : null;
		WeChatSandboxApiSecurity security = (appId != null && api == WeChatEndpoint.GET_USER_PHONE_NUMBER)
				? this.sandbox.apiSecurity(appId) : null;
		if (security == null || !"POST".equals(exchange.getRequestMethod())) {
			return false;
		}
		security.handle(exchange, this.sandbox.baseUrl() + api.path(), HttpExchanges.body(exchange),
				(request) -> getUserPhoneNumber(request, query));
		return true;
	}

	private Map<String, Object> getUserPhoneNumber(HttpExchange exchange, Map<String, String> query)
			throws IOException {
		if (!"POST".equals(exchange.getRequestMethod())) {
			return WeChatErrors.body(WeChatErrors.REQUIRE_POST);
		}
		return getUserPhoneNumber(HttpExchanges.jsonObject(HttpExchanges.body(exchange)), query);
	}

	private Map<String, Object> getUserPhoneNumber(@Nullable JsonNode request, Map<String, String> query) {
		Map<String, Object> error = checkAccessToken(query.get("access_token"));
		if (error != null) {
			return error;
		}
		if (request == null) {
			return WeChatErrors.body(WeChatErrors.DATA_FORMAT_ERROR);
		}
		String code = HttpExchanges.text(request, "code");
		if (code == null || code.isEmpty()) {
			return WeChatErrors.body(WeChatErrors.CODE_MISSING);
		}
		JsonNode openid = request.get("openid");
		if (openid != null && !openid.isString() && !openid.isNull()) {
			return WeChatErrors.body(WeChatErrors.DATA_FORMAT_ERROR);
		}
		// The optional openid binds the code to its user: a code presented for anybody
		// else is refused.
		String boundTo = HttpExchanges.text(request, "openid");
		String appId = this.sandbox.appOfToken(query.get("access_token"));
		OneTimeCodes.Redemption redemption = this.sandbox.phoneCodes()
			.redeem(code, (owner) -> appId.equals(this.sandbox.appOf(owner)),
					(boundTo == null || boundTo.isEmpty()) ? null : boundTo);
		if (redemption.outcome() == OneTimeCodes.Outcome.OTHER_USER) {
			return WeChatErrors.body(WeChatErrors.INVALID_OPENID);
		}
		if (redemption.outcome() != OneTimeCodes.Outcome.OK) {
			// Unlike jscode2session, WeChat does not tell a reused phone code from an
			// unknown one.
			return WeChatErrors.body(WeChatErrors.INVALID_CODE);
		}
		WeChatSandboxUser user = this.sandbox.users().find(redemption.openid());
		Map<String, Object> watermark = new LinkedHashMap<>();
		watermark.put("timestamp", redemption.mintedAt().getEpochSecond());
		watermark.put("appid", appId);
		Map<String, Object> phoneInfo = new LinkedHashMap<>();
		phoneInfo.put("phoneNumber", user.phoneNumber());
		phoneInfo.put("purePhoneNumber", user.purePhoneNumber());
		// A string, as WeChat sends it today (its documentation's example shows a number:
		// clients accept both).
		phoneInfo.put("countryCode", user.countryCode());
		phoneInfo.put("watermark", watermark);
		Map<String, Object> response = WeChatErrors.ok();
		response.put("phone_info", phoneInfo);
		return response;
	}

	private Map<String, Object> checkSession(Map<String, String> query, boolean reset) {
		Map<String, Object> error = checkAccessToken(query.get("access_token"));
		if (error != null) {
			return error;
		}
		WeChatSandboxUser user = this.sandbox.users().find(query.get("openid"));
		if (user == null
				|| !this.sandbox.appOf(user.openid()).equals(this.sandbox.appOfToken(query.get("access_token")))) {
			// WeChat's documentation does not say; 40003 lets a client tell "unknown
			// user" from "stale key".
			return WeChatErrors.body(WeChatErrors.INVALID_OPENID);
		}
		if (!"hmac_sha256".equals(query.get("sig_method"))) {
			return WeChatErrors.body(WeChatErrors.INVALID_SIG_METHOD);
		}
		String currentKey = this.sandbox.users().currentSessionKey(user.openid());
		if (!OpenDataCrypto.signatureMatches(currentKey, query.get("signature"))) {
			return WeChatErrors.body(WeChatErrors.INVALID_SIGNATURE);
		}
		Map<String, Object> response = WeChatErrors.ok();
		if (reset) {
			response.put("session_key", this.sandbox.users().rotateSessionKey(user.openid()));
			response.put("openid", user.openid());
		}
		return response;
	}

	/**
	 * A PNG that encodes nothing readable but is a real image, different for each scene,
	 * as WeChat answers a valid request; JSON errors as WeChat's (40169 for a scene that
	 * is missing or longer than 32 characters).
	 * @param exchange the request
	 * @param query the query parameters, with the access token
	 */
	private void getWxaCodeUnlimit(HttpExchange exchange, Map<String, String> query) throws IOException {
		Map<String, Object> error = checkPostWithToken(exchange, query);
		JsonNode request = null;
		if (error == null) {
			request = HttpExchanges.jsonObject(HttpExchanges.body(exchange));
			error = (request != null) ? null : WeChatErrors.body(WeChatErrors.DATA_FORMAT_ERROR);
		}
		String scene = (request != null) ? HttpExchanges.text(request, "scene") : null;
		if (error == null && (scene == null || scene.length() > 32)) {
			error = WeChatErrors.body(40169, "invalid length for scene, or the data is not json");
		}
		if (error != null) {
			HttpExchanges.sendJson(exchange, 200, HttpExchanges.JSON, error);
			return;
		}
		HttpExchanges.send(exchange, 200, "image/png", WxaCodes.png(scene));
	}

	private Map<String, Object> generateUrlLink(HttpExchange exchange, Map<String, String> query) throws IOException {
		Map<String, Object> error = checkPostWithToken(exchange, query);
		if (error != null) {
			return error;
		}
		JsonNode request = HttpExchanges.jsonObject(HttpExchanges.body(exchange));
		if (request == null) {
			return WeChatErrors.body(WeChatErrors.DATA_FORMAT_ERROR);
		}
		Map<String, Object> response = WeChatErrors.ok();
		response.put("url_link", "https://wxaurl.cn/" + SandboxRandom.hex(6));
		return response;
	}

	private Map<String, Object> checkPostWithToken(HttpExchange exchange, Map<String, String> query) {
		if (!"POST".equals(exchange.getRequestMethod())) {
			return WeChatErrors.body(WeChatErrors.REQUIRE_POST);
		}
		return checkAccessToken(query.get("access_token"));
	}

	private @Nullable Map<String, Object> checkApp(@Nullable String appId, @Nullable String secret) {
		if (appId == null || appId.isEmpty()) {
			return WeChatErrors.body(WeChatErrors.APPID_MISSING);
		}
		if (!this.sandbox.appIds().contains(appId)) {
			return WeChatErrors.body(WeChatErrors.INVALID_APPID);
		}
		if (secret == null || secret.isEmpty()) {
			return WeChatErrors.body(WeChatErrors.APPSECRET_MISSING);
		}
		if (!secret.equals(this.sandbox.appSecret(appId))) {
			return WeChatErrors.body(WeChatErrors.INVALID_APPSECRET);
		}
		return null;
	}

	private @Nullable Map<String, Object> checkAccessToken(@Nullable String accessToken) {
		if (accessToken == null || accessToken.isEmpty()) {
			return WeChatErrors.body(WeChatErrors.ACCESS_TOKEN_MISSING);
		}
		String appId = this.sandbox.appOfToken(accessToken);
		if (appId == null) {
			return WeChatErrors.body(WeChatErrors.INVALID_CREDENTIAL);
		}
		return switch (this.sandbox.accessTokens(appId).check(accessToken)) {
			case VALID -> null;
			case EXPIRED -> WeChatErrors.body(WeChatErrors.ACCESS_TOKEN_EXPIRED);
			case INVALID -> WeChatErrors.body(WeChatErrors.INVALID_CREDENTIAL);
		};
	}

	private static Map<String, Object> tokenBody(AccessTokens.Issued issued) {
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("access_token", issued.accessToken());
		response.put("expires_in", issued.expiresIn());
		return response;
	}

}
