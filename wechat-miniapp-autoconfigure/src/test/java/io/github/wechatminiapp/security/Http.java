package io.github.wechatminiapp.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for the ITs: what a mini program sends, nothing Spring adds.
 */
final class Http {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String baseUrl;

	Http(int port) {
		this.baseUrl = "http://127.0.0.1:" + port;
	}

	HttpResponse<String> login(String code) {
		return post("/login/wechat-miniapp", "{\"code\":\"" + code + "\"}", null);
	}

	String token(String code) {
		HttpResponse<String> response = login(code);
		if (response.statusCode() != 200) {
			throw new IllegalStateException("login answered " + response.statusCode() + ": " + response.body());
		}
		return json(response).get("token").asString();
	}

	HttpResponse<String> post(String path, String body, String token) {
		return send(request(path, token).POST(HttpRequest.BodyPublishers.ofString(body))
			.header("Content-Type", "application/json"));
	}

	HttpResponse<String> get(String path, String token) {
		return send(request(path, token).GET());
	}

	HttpRequest.Builder request(String path, String token) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(Duration.ofSeconds(20));
		if (token != null) {
			builder.header("Authorization", "Bearer " + token);
		}
		return builder;
	}

	HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

}
