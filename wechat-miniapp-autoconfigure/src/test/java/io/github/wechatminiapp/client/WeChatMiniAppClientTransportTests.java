package io.github.wechatminiapp.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.wechatminiapp.client.WeChatCommunicationException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the client makes of a server that misbehaves below the WeChat protocol: answers of
 * every size around the cap, bodies cut short, bodies that stall, and timeouts told apart
 * from other I/O errors. A plain HTTP server on loopback plays the misbehaving WeChat;
 * the sandbox answers too well for this.
 */
class WeChatMiniAppClientTransportTests {

	private static final String SECRET = "0123456789abcdef0123456789abcdef";

	private static final String TOKEN_JSON_START = "{\"access_token\":\"tok\",\"expires_in\":7200,\"padding\":\"";

	private final CountDownLatch release = new CountDownLatch(1);

	private HttpServer server;

	@AfterEach
	void stop() {
		this.release.countDown();
		if (this.server != null) {
			this.server.stop(0);
		}
	}

	@Test
	void anAnswerOfExactlyTheCapIsRead() {
		byte[] body = tokenAnswerOfSize(WeChatMiniAppClient.MAX_RESPONSE_BYTES);
		WeChatMiniAppClient client = client(serve((exchange) -> send(exchange, body)), jdk());
		assertThat(client.fetchAccessToken().value()).isEqualTo("tok");
	}

	@Test
	void anAnswerOneByteOverTheCapIsRefusedUnread() {
		byte[] body = tokenAnswerOfSize(WeChatMiniAppClient.MAX_RESPONSE_BYTES + 1);
		WeChatMiniAppClient client = client(serve((exchange) -> send(exchange, body)), jdk());
		assertThatExceptionOfType(WeChatCommunicationException.class).isThrownBy(client::fetchAccessToken)
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(Kind.INVALID_ANSWER);
				assertThat(ex.api()).isEqualTo(WeChatApi.TOKEN);
				assertThat(ex.getMessage()).contains("larger than " + WeChatMiniAppClient.MAX_RESPONSE_BYTES);
			});
	}

	@Test
	void aBodyCutShortIsAnIoErrorNotATimeout() throws Exception {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Thread answerer = new Thread(() -> {
				try (Socket connection = socket.accept()) {
					readRequestHead(connection.getInputStream());
					// 100 bytes announced, 9 sent, then the connection closes.
					connection.getOutputStream()
						.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
								+ "{\"access_")
							.getBytes(StandardCharsets.US_ASCII));
					connection.getOutputStream().flush();
				}
				catch (IOException ex) {
					// The test fails on the client side if the answer did not go out.
				}
			});
			answerer.start();
			WeChatMiniAppClient client = client("http://127.0.0.1:" + socket.getLocalPort(), jdk());
			assertThatExceptionOfType(WeChatCommunicationException.class).isThrownBy(client::fetchAccessToken)
				.satisfies((ex) -> {
					assertThat(ex.kind()).isEqualTo(Kind.IO_ERROR);
					assertThat(ex.getMessage()).contains("I/O error").doesNotContain(SECRET);
				});
			answerer.join(5000);
		}
	}

	private static void readRequestHead(InputStream in) throws IOException {
		int matched = 0;
		byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		for (int b = in.read(); b >= 0; b = in.read()) {
			matched = (b == end[matched]) ? matched + 1 : ((b == end[0]) ? 1 : 0);
			if (matched == end.length) {
				return;
			}
		}
	}

	@Test
	void aStalledBodyIsATimeout() {
		// Headers and the start of the body arrive, then nothing: the read of the body
		// times out.
		WeChatMiniAppClient client = client(serve((exchange) -> {
			exchange.sendResponseHeaders(200, 100);
			exchange.getResponseBody().write("{\"access_".getBytes(StandardCharsets.UTF_8));
			exchange.getResponseBody().flush();
			awaitRelease();
		}), simple());
		assertThatExceptionOfType(WeChatCommunicationException.class).isThrownBy(client::fetchAccessToken)
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(Kind.TIMEOUT);
				assertThat(ex.getMessage()).endsWith("I/O error (SocketTimeoutException)");
			});
	}

	@Test
	void stalledHeadersAreATimeoutWithEitherRequestFactory() {
		String baseUrl = serve((exchange) -> awaitRelease());
		for (ClientHttpRequestFactory factory : new ClientHttpRequestFactory[] { jdk(), simple() }) {
			assertThatExceptionOfType(WeChatCommunicationException.class)
				.isThrownBy(() -> client(baseUrl, factory).fetchAccessToken())
				.satisfies((ex) -> {
					assertThat(ex.kind()).as("%s", factory).isEqualTo(Kind.TIMEOUT);
					assertThat(ex.getMessage()).doesNotContain(SECRET).doesNotContain("127.0.0.1");
				});
		}
	}

	@Test
	void aRefusedConnectionIsAnIoErrorNotATimeout() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		for (ClientHttpRequestFactory factory : new ClientHttpRequestFactory[] { jdk(), simple() }) {
			assertThatExceptionOfType(WeChatCommunicationException.class)
				.isThrownBy(() -> client("http://127.0.0.1:" + closedPort, factory).fetchAccessToken())
				.satisfies((ex) -> assertThat(ex.kind()).as("%s", factory).isEqualTo(Kind.IO_ERROR));
		}
	}

	@Test
	void anInterruptDuringTheRetryBackoffEndsTheCallAndKeepsTheInterruptFlag() {
		String baseUrl = serve((exchange) -> send(exchange,
				"{\"errcode\":-1,\"errmsg\":\"system error\"}".getBytes(StandardCharsets.UTF_8)));
		RestClient restClient = RestClient.builder().baseUrl(baseUrl).requestFactory(simple()).build();
		WeChatMiniAppClient client = new WeChatMiniAppClient(restClient, "wx0123456789abcdef", SECRET,
				new RetrySettings(3, Duration.ofSeconds(30), Duration.ofSeconds(30), 2));
		Thread.currentThread().interrupt();
		try {
			assertThatExceptionOfType(WeChatCommunicationException.class).isThrownBy(client::fetchAccessToken)
				.satisfies((ex) -> {
					assertThat(ex.kind()).isEqualTo(Kind.IO_ERROR);
					assertThat(ex.getMessage()).contains("interrupted while waiting to retry");
				});
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

	/** A valid token answer padded to exactly {@code size} bytes. */
	private static byte[] tokenAnswerOfSize(int size) {
		byte[] body = new byte[size];
		byte[] start = TOKEN_JSON_START.getBytes(StandardCharsets.UTF_8);
		System.arraycopy(start, 0, body, 0, start.length);
		Arrays.fill(body, start.length, size - 2, (byte) 'x');
		body[size - 2] = '"';
		body[size - 1] = '}';
		return body;
	}

	private static void send(HttpExchange exchange, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private void awaitRelease() {
		try {
			this.release.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private String serve(Handler handler) {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.server.createContext("/", (exchange) -> {
			try (exchange) {
				handler.handle(exchange);
			}
		});
		this.server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		this.server.start();
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** Long enough for a loaded machine: only the tests of stalls wait for it. */
	private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

	private static ClientHttpRequestFactory jdk() {
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
		factory.setReadTimeout(READ_TIMEOUT);
		return factory;
	}

	private static ClientHttpRequestFactory simple() {
		SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
		factory.setConnectTimeout(Duration.ofSeconds(5));
		factory.setReadTimeout(READ_TIMEOUT);
		return factory;
	}

	private static WeChatMiniAppClient client(String baseUrl, ClientHttpRequestFactory factory) {
		RestClient restClient = RestClient.builder().baseUrl(baseUrl).requestFactory(factory).build();
		return new WeChatMiniAppClient(restClient, "wx0123456789abcdef", SECRET, RetrySettings.DEFAULT);
	}

	@FunctionalInterface
	private interface Handler {

		void handle(HttpExchange exchange) throws IOException;

	}

}
