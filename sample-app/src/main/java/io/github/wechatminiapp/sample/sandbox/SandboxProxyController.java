package io.github.wechatminiapp.sample.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Forwards the sandbox's control endpoints ({@code POST /sandbox/...}: new user, login
 * code, phone code, encryptedData, key rotation) from this app's own port to the embedded
 * sandbox, so the simulator page needs nothing but this port: forwarding port 8080 alone
 * (a container, a remote machine) is enough. Exists only in sandbox mode, and reaches
 * only the sandbox, on loopback, under {@code /sandbox/}.
 */
@RestController
@ConditionalOnProperty(SandboxEnvironmentPostProcessor.BASE_URL_PROPERTY)
class SandboxProxyController {

	/**
	 * The sandbox's control paths: letters, digits, {@code -}, {@code _} and slashes,
	 * nothing to escape.
	 */
	private static final Pattern PATH = Pattern.compile("/sandbox/[A-Za-z0-9_\\-/]{1,200}");

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String baseUrl;

	SandboxProxyController(@Value("${" + SandboxEnvironmentPostProcessor.BASE_URL_PROPERTY + "}") String baseUrl) {
		this.baseUrl = baseUrl;
	}

	@PostMapping("/sandbox/**")
	ResponseEntity<byte[]> forward(HttpServletRequest request, @RequestBody(required = false) byte[] body)
			throws IOException, InterruptedException {
		String path = request.getRequestURI();
		if (!PATH.matcher(path).matches() || path.contains("//") || request.getQueryString() != null) {
			return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
		}
		HttpRequest forwarded = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(Duration.ofSeconds(5))
			.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
			.POST((body != null) ? HttpRequest.BodyPublishers.ofByteArray(body) : HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<byte[]> answer = this.client.send(forwarded, HttpResponse.BodyHandlers.ofByteArray());
		ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.statusCode());
		answer.headers()
			.firstValue(HttpHeaders.CONTENT_TYPE)
			.ifPresent((type) -> response.header(HttpHeaders.CONTENT_TYPE, type));
		return response.body(answer.body());
	}

}
