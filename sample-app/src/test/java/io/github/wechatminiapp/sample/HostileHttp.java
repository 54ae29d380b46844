package io.github.wechatminiapp.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.wechatminiapp.test.WeChatSandboxUser;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What {@link HostileInputIT} sends and expects: raw requests (any bytes, any content
 * type, any token) over loopback, and checks of the answers, both the ones every answer
 * must pass and the expected outcome of a case.
 */
final class HostileHttp {

	/** The one body of every failed decryption of a phone number. */
	static final byte[] REJECTED_BODY = rejectedBody("/api/phone").getBytes(StandardCharsets.UTF_8);

	/** What a stack trace or an exception in a body looks like. */
	private static final List<String> STACK_TRACE_MARKERS = List.of("Exception", "at io.", "at org.", "at java.",
			"\tat ", "\"trace\"");

	private static final Pattern ERROR_CODE = Pattern.compile("[a-z][a-z_]*");

	/** RFC 9457 problem details, with the short code the mini program reads. */
	private static final Set<String> ERROR_FIELDS = Set.of("detail", "instance", "status", "title", "error");

	/**
	 * The one body of every failed decryption at a path: the starter's problem details
	 * for {@code invalid_data}, whatever the cause.
	 */
	static String rejectedBody(String path) {
		return "{\"detail\":\"The encrypted data could not be read\",\"instance\":\"" + path
				+ "\",\"status\":422,\"title\":\"Unprocessable Content\",\"error\":\"invalid_data\"}";
	}

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String baseUrl;

	HostileHttp(int port) {
		this.baseUrl = "http://127.0.0.1:" + port;
	}

	Reply send(Request request) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.baseUrl + request.endpoint().path()))
			.timeout(Duration.ofSeconds(30))
			.POST((request.body() != null) ? HttpRequest.BodyPublishers.ofByteArray(request.body())
					: HttpRequest.BodyPublishers.noBody());
		if (request.contentType() != null) {
			builder.header("Content-Type", request.contentType());
		}
		if (request.accept() != null) {
			builder.header("Accept", request.accept());
		}
		if (request.token() != null) {
			builder.header("Authorization", "Bearer " + request.token());
		}
		try {
			HttpResponse<byte[]> response = this.http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
			Reply reply = new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
					response.body());
			if (request.endpoint() == Endpoint.LOGIN && reply.status() == 200) {
				ApiClient.recordIssuedToken(reply.json().path("token").asString());
			}
			return reply;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	enum Endpoint {

		LOGIN("/api/login"), PHONE("/api/phone");

		private final String path;

		Endpoint(String path) {
			this.path = path;
		}

		String path() {
			return this.path;
		}

	}

	/**
	 * One request.
	 *
	 * @param endpoint where to
	 * @param contentType the Content-Type header, or none
	 * @param accept the Accept header, or none
	 * @param body the body bytes, or none
	 * @param token the bearer token of the Authorization header, or none
	 */
	record Request(Endpoint endpoint, String contentType, String accept, byte[] body, String token) {

		static Request json(Endpoint endpoint, String json, String token) {
			return new Request(endpoint, "application/json", null, json.getBytes(StandardCharsets.UTF_8), token);
		}

		Request withBody(byte[] body) {
			return new Request(this.endpoint, this.contentType, this.accept, body, this.token);
		}

		Request withContentType(String contentType) {
			return new Request(this.endpoint, contentType, this.accept, this.body, this.token);
		}

		Request withAccept(String accept) {
			return new Request(this.endpoint, this.contentType, accept, this.body, this.token);
		}

		Request withToken(String token) {
			return new Request(this.endpoint, this.contentType, this.accept, this.body, token);
		}

		@Override
		public String toString() {
			String text = (this.body != null) ? new String(this.body, StandardCharsets.UTF_8) : "<no body>";
			return "POST " + this.endpoint.path() + " Content-Type=" + this.contentType + " Accept=" + this.accept
					+ " token=" + ((this.token != null) ? abbreviate(this.token, 60) : null) + " body("
					+ ((this.body != null) ? this.body.length : 0) + " bytes)=" + abbreviate(text, 300);
		}

	}

	/**
	 * One answer.
	 *
	 * @param status the HTTP status
	 * @param contentType the Content-Type header, or {@code null}
	 * @param body the body bytes
	 */
	record Reply(int status, String contentType, byte[] body) {

		String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

		JsonNode json() {
			return ApiClient.JSON.readTree(this.body);
		}

		String error() {
			JsonNode error = json().get("error");
			return (error != null && error.isString()) ? error.asString() : null;
		}

		@Override
		public String toString() {
			return "HTTP " + this.status + " " + this.contentType + " " + abbreviate(text(), 500);
		}

	}

	/**
	 * A case: what to send, what must come back, and, for errors, a hostile value that
	 * must not be echoed.
	 *
	 * @param kind the generator's name for it, for failure messages
	 * @param request the request
	 * @param expect the expected outcome
	 * @param probe a value taken from the client that an error body must not repeat, or
	 * {@code null}
	 * @param callsWeChat whether the request may reach WeChat; when false, the sandbox
	 * must not count a request
	 */
	record Case(String kind, Request request, Expect expect, String probe, boolean callsWeChat) {

		Case(String kind, Request request, Expect expect) {
			this(kind, request, expect, null, true);
		}

		Case probing(String value) {
			return new Case(this.kind, this.request, this.expect, value, this.callsWeChat);
		}

		Case offline() {
			return new Case(this.kind, this.request, this.expect, this.probe, false);
		}

		@Override
		public String toString() {
			return this.kind + ": " + this.request;
		}

	}

	/** The expected outcome of a case. */
	@FunctionalInterface
	interface Expect {

		void verify(Reply reply, String context);

		/** 200 with this user's openid (login) or full phone number (phone). */
		static Expect ok(Endpoint endpoint, WeChatSandboxUser user) {
			return (reply, context) -> {
				assertThat(reply.status()).as(context).isEqualTo(200);
				JsonNode json = reply.json();
				if (endpoint == Endpoint.LOGIN) {
					assertThat(json.propertyNames()).as(context)
						.containsExactlyInAnyOrder("token", "expiresIn", "openid");
					assertThat(json.get("openid").asString()).as(context).isEqualTo(user.openid());
					assertThat(json.get("token").asString()).as(context).isNotBlank();
					assertThat(json.get("expiresIn").isIntegralNumber()).as(context).isTrue();
				}
				else {
					assertThat(json.propertyNames()).as(context)
						.containsExactlyInAnyOrder("phoneNumber", "purePhoneNumber", "countryCode");
					assertThat(json.get("phoneNumber").asString()).as(context).isEqualTo(user.phoneNumber());
					assertThat(json.get("purePhoneNumber").asString()).as(context).isEqualTo(user.purePhoneNumber());
					assertThat(json.get("countryCode").asString()).as(context).isEqualTo(user.countryCode());
				}
			};
		}

		/** 422 with exactly the one body of every failed decryption. */
		static Expect rejected() {
			return (reply, context) -> {
				assertThat(reply.status()).as(context).isEqualTo(422);
				assertThat(reply.text()).as(context).isEqualTo(new String(REJECTED_BODY, StandardCharsets.UTF_8));
				assertThat(reply.body()).as(context).isEqualTo(REJECTED_BODY);
			};
		}

		static Expect error(int status, String... errors) {
			return (reply, context) -> {
				assertThat(reply.status()).as(context).isEqualTo(status);
				if (errors.length > 0) {
					assertThat(reply.error()).as(context).isIn((Object[]) errors);
				}
			};
		}

		/** Any 4xx; every common check still applies. */
		static Expect clientError() {
			return (reply, context) -> assertThat(reply.status()).as(context).isBetween(400, 499);
		}

		static Expect anyOf(Expect... expects) {
			return (reply, context) -> {
				List<String> failures = new ArrayList<>();
				for (Expect expect : expects) {
					try {
						expect.verify(reply, context);
						return;
					}
					catch (AssertionError ex) {
						failures.add(ex.getMessage());
					}
				}
				fail("None of the allowed outcomes: " + failures);
			};
		}

	}

	/**
	 * What every answer must be, whatever was sent: below 500, JSON, an error in the
	 * app's stable shape, the one body for every decryption failure, and free of stack
	 * traces, secrets and the client's hostile input.
	 */
	static void verifyCommon(Case c, Reply reply, Collection<String> secrets) {
		String context = c + " -> " + reply;
		assertThat(reply.status()).as(context).isBetween(200, 499);
		assertThat(reply.contentType()).as(context).isNotNull();
		assertThat(reply.contentType().toLowerCase(Locale.ROOT)).as(context)
			.startsWith((reply.status() == 200) ? "application/json" : "application/problem+json");
		JsonNode json;
		try {
			json = reply.json();
		}
		catch (JacksonException ex) {
			throw new AssertionError("Not JSON: " + context, ex);
		}
		assertThat(json).as(context).isNotNull();
		assertThat(json.isObject()).as(context).isTrue();
		String text = reply.text();
		for (String marker : STACK_TRACE_MARKERS) {
			assertThat(text).as(context).doesNotContain(marker);
		}
		for (String secret : secrets) {
			assertThat(text).as(context + " leaks a secret").doesNotContain(secret);
		}
		if (reply.status() != 200) {
			assertThat(json.propertyNames()).as(context).containsExactlyInAnyOrderElementsOf(ERROR_FIELDS);
			assertThat(json.get("status").asInt()).as(context).isEqualTo(reply.status());
			assertThat(json.get("error").isString()).as(context).isTrue();
			assertThat(json.get("error").asString()).as(context).matches(ERROR_CODE);
			assertThat(json.get("detail").isString()).as(context).isTrue();
			assertThat(json.get("detail").asString()).as(context).isNotBlank();
			if ("invalid_data".equals(json.get("error").asString())) {
				assertThat(reply.body()).as(context + ": not THE decryption failure body").isEqualTo(REJECTED_BODY);
			}
			if (c.probe() != null && c.probe().strip().length() >= 12) {
				assertThat(text).as(context + " echoes the client's input").doesNotContain(c.probe().strip());
			}
		}
		byte[] body = c.request().body();
		// Every body over the API's limit is refused as such, whatever it holds: a login
		// by the miniAppLogin()
		// configurer (its maxLoginBodySize, set to the same limit), every other request
		// by RequestBodyLimitFilter.
		String tooLarge = (c.request().endpoint() == Endpoint.LOGIN) ? "request_too_large" : "payload_too_large";
		Expect expect = (body != null && body.length > RequestBodyLimitFilter.MAX_BODY_BYTES)
				? Expect.error(413, tooLarge) : c.expect();
		expect.verify(reply, context);
	}

	static String abbreviate(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max) + "...(" + text.length() + " chars)";
	}

	static byte[] concat(byte[]... parts) {
		int length = Arrays.stream(parts).mapToInt((part) -> part.length).sum();
		byte[] all = new byte[length];
		int at = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, all, at, part.length);
			at += part.length;
		}
		return all;
	}

}
