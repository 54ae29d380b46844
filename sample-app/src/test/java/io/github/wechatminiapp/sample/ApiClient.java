package io.github.wechatminiapp.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.github.wechatminiapp.test.LogHygieneListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client for the app's API, as the mini program's {@code wx.request} would
 * call it.
 */
final class ApiClient {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String baseUrl;

	ApiClient(int port) {
		this.baseUrl = "http://localhost:" + port;
	}

	Response post(String path, Object body, String token) {
		return post(path, body, token, Map.of());
	}

	Response post(String path, Object body, String token, Map<String, String> headers) {
		String json = (body instanceof String text) ? text : JSON.writeValueAsString(body);
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST((body != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		headers.forEach(request::header);
		Response response = send(request.build());
		if (path.equals("/api/login") && response.status() == 200) {
			recordIssuedToken(response.text("token"));
		}
		return response;
	}

	/**
	 * Every bearer token a login answered to a client of the suite is a secret that no
	 * log line may contain.
	 * @param token the token answered
	 */
	static void recordIssuedToken(String token) {
		LogHygieneListener.addSecret(token);
	}

	Response post(String path, Object body) {
		return post(path, body, null);
	}

	Response get(String path) {
		return get(path, null);
	}

	Response get(String path, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(Duration.ofSeconds(30))
			.GET();
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return send(request.build());
	}

	/** Logs a sandbox user in and returns the bearer token. */
	String login(String code) {
		Response response = post("/api/login", Map.of("code", code));
		if (response.status() != 200) {
			throw new IllegalStateException("login failed: " + response);
		}
		return response.json().get("token").asString();
	}

	private Response send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	record Response(int status, HttpHeaders headers, String body) {

		String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

		String contentType() {
			return header("Content-Type");
		}

		@Override
		public String toString() {
			return "HTTP " + this.status + " " + this.body;
		}

		JsonNode json() {
			return JSON.readTree(this.body);
		}

		String text(String field) {
			JsonNode value = json().get(field);
			return (value == null || value.isNull()) ? null : value.asString();
		}

	}

}
