package io.github.wechatminiapp.test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import tools.jackson.databind.JsonNode;

/**
 * {@code /sandbox/**}: lets a browser play the mini program (create users, get login and
 * phone codes, encrypted phone numbers, WeRun data and share info). Open to any origin,
 * because the demo page is served from elsewhere. Never returns a session key: the demo
 * must show that keys stay on the server.
 */
final class ControlApiHandler {

	static final String PREFIX = "/sandbox";

	private static final String USERS = PREFIX + "/users";

	private static final String OUTAGES = PREFIX + "/outages";

	private final WeChatSandbox sandbox;

	ControlApiHandler(WeChatSandbox sandbox) {
		this.sandbox = sandbox;
	}

	static boolean handles(String path) {
		return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
	}

	void handle(HttpExchange exchange) throws IOException {
		Headers headers = exchange.getResponseHeaders();
		headers.set("Access-Control-Allow-Origin", "*");
		if ("OPTIONS".equals(exchange.getRequestMethod())) {
			headers.set("Access-Control-Allow-Methods", "POST, GET, OPTIONS");
			headers.set("Access-Control-Allow-Headers", "Content-Type");
			headers.set("Access-Control-Max-Age", "600");
			HttpExchanges.send(exchange, 204, null, new byte[0]);
			return;
		}
		String path = exchange.getRequestURI().getPath();
		if (path.equals(USERS)) {
			if (requirePost(exchange)) {
				createUser(exchange);
			}
			return;
		}
		if (path.equals(OUTAGES) || path.equals(OUTAGES + "/end")) {
			if (requirePost(exchange)) {
				outage(exchange, path.equals(OUTAGES));
			}
			return;
		}
		if (path.startsWith(USERS + "/")) {
			String[] parts = path.substring(USERS.length() + 1).split("/", -1);
			if (parts.length == 2 && !parts[0].isEmpty() && isAction(parts[1])) {
				if (requirePost(exchange)) {
					userAction(exchange, parts[0], parts[1]);
				}
				return;
			}
		}
		error(exchange, 404, "not found: " + path);
	}

	/**
	 * {@code POST /sandbox/outages}
	 * {@code {"api":"STABLE_TOKEN","hang":true|"errcode":89503|"httpStatus":503,
	 * "seconds":30}} starts an outage of one API; {@code POST /sandbox/outages/end}
	 * {@code {"api":"STABLE_TOKEN"}} ends it (without {@code api}: every outage).
	 * @param exchange the request
	 * @param start {@code true} to start an outage, {@code false} to end one
	 */
	private void outage(HttpExchange exchange, boolean start) throws IOException {
		byte[] body = HttpExchanges.body(exchange);
		JsonNode request = (body.length == 0) ? null : HttpExchanges.jsonObject(body);
		if (body.length != 0 && request == null) {
			error(exchange, 400, "body must be a JSON object");
			return;
		}
		String apiName = (request != null) ? HttpExchanges.text(request, "api") : null;
		WeChatEndpoint api = null;
		if (apiName != null) {
			for (WeChatEndpoint candidate : WeChatEndpoint.values()) {
				if (candidate.name().equalsIgnoreCase(apiName) || candidate.path().equals(apiName)) {
					api = candidate;
				}
			}
			if (api == null) {
				error(exchange, 400, "unknown api: " + apiName);
				return;
			}
		}
		if (!start) {
			if (api != null) {
				this.sandbox.endOutage(api);
			}
			else {
				for (WeChatEndpoint each : WeChatEndpoint.values()) {
					this.sandbox.endOutage(each);
				}
			}
			HttpExchanges.send(exchange, 204, null, new byte[0]);
			return;
		}
		Fault fault;
		long seconds = (request != null) ? request.path("seconds").asLong(0) : 0;
		try {
			if (api == null || seconds <= 0) {
				throw new IllegalArgumentException("api and a positive seconds are required");
			}
			if (request.path("hang").asBoolean(false)) {
				fault = Fault.hang();
			}
			else if (request.has("errcode")) {
				fault = Fault.errcode(request.path("errcode").asInt());
			}
			else if (request.has("httpStatus")) {
				fault = Fault.httpStatus(request.path("httpStatus").asInt());
			}
			else {
				throw new IllegalArgumentException("one of hang, errcode or httpStatus is required");
			}
		}
		catch (IllegalArgumentException ex) {
			error(exchange, 400, ex.getMessage());
			return;
		}
		this.sandbox.startOutage(api, fault, java.time.Duration.ofSeconds(seconds));
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("api", api.name());
		response.put("fault", fault.toString());
		response.put("seconds", seconds);
		HttpExchanges.sendJson(exchange, 200, HttpExchanges.JSON, response);
	}

	private static boolean isAction(String action) {
		return switch (action) {
			case "login-code", "phone-code", "encrypted-phone", "encrypted-werun", "encrypted-share-info",
					"rotate-session-key" ->
				true;
			default -> false;
		};
	}

	private void createUser(HttpExchange exchange) throws IOException {
		byte[] body = HttpExchanges.body(exchange);
		WeChatSandboxUser user;
		if (body.length == 0) {
			user = this.sandbox.createUser();
		}
		else {
			JsonNode request = HttpExchanges.jsonObject(body);
			if (request == null) {
				error(exchange, 400, "body must be a JSON object");
				return;
			}
			String purePhoneNumber = HttpExchanges.text(request, "purePhoneNumber");
			String countryCode = HttpExchanges.text(request, "countryCode");
			String appId = HttpExchanges.text(request, "appid");
			if (appId != null) {
				if (!this.sandbox.appIds().contains(appId)) {
					error(exchange, 400, "the sandbox serves no such app");
					return;
				}
				user = this.sandbox.createUser(appId);
			}
			else if (purePhoneNumber == null && countryCode == null) {
				user = this.sandbox.createUser();
			}
			else {
				try {
					user = this.sandbox.createUser(
							(purePhoneNumber != null) ? purePhoneNumber : WeChatSandbox.randomMobile(),
							(countryCode != null) ? countryCode : "86");
				}
				catch (IllegalArgumentException ex) {
					error(exchange, 400, ex.getMessage());
					return;
				}
			}
		}
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("openid", user.openid());
		response.put("unionid", user.unionid());
		response.put("phoneNumber", user.phoneNumber());
		response.put("purePhoneNumber", user.purePhoneNumber());
		response.put("countryCode", user.countryCode());
		HttpExchanges.sendJson(exchange, 201, HttpExchanges.JSON, response);
	}

	private void userAction(HttpExchange exchange, String openid, String action) throws IOException {
		WeChatSandboxUser user = this.sandbox.users().find(openid);
		if (user == null) {
			error(exchange, 404, "unknown openid: " + openid);
			return;
		}
		Map<String, Object> response = new LinkedHashMap<>();
		switch (action) {
			case "login-code" -> response.put("code", this.sandbox.loginCode(user));
			case "phone-code" -> response.put("code", this.sandbox.phoneCode(user));
			case "encrypted-phone" -> {
				EncryptedData data = this.sandbox.encryptPhoneNumber(user);
				response.put("encryptedData", data.encryptedData());
				response.put("iv", data.iv());
			}
			case "encrypted-werun" -> encrypted(response, this.sandbox.encryptWeRunData(user));
			case "encrypted-share-info" ->
				encrypted(response, this.sandbox.encryptShareInfo(user, this.sandbox.createGroupId()));
			case "rotate-session-key" -> this.sandbox.rotateSessionKey(user);
			default -> throw new IllegalStateException("unrouted action " + action);
		}
		HttpExchanges.sendJson(exchange, 200, HttpExchanges.JSON, response);
	}

	private static void encrypted(Map<String, Object> response, EncryptedData data) {
		response.put("encryptedData", data.encryptedData());
		response.put("iv", data.iv());
	}

	private static boolean requirePost(HttpExchange exchange) throws IOException {
		if ("POST".equals(exchange.getRequestMethod())) {
			return true;
		}
		exchange.getResponseHeaders().set("Allow", "POST, OPTIONS");
		error(exchange, 405, "use POST");
		return false;
	}

	private static void error(HttpExchange exchange, int status, String message) throws IOException {
		HttpExchanges.sendJson(exchange, status, HttpExchanges.JSON, Map.of("error", message));
	}

}
