package io.github.wechatminiapp.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The one handler of the server. Routing by exact path here, because the JDK server
 * matches contexts by prefix, which would answer {@code /sns/jscode2session/extra}
 * instead of giving WeChat's 404.
 */
final class SandboxRouter implements HttpHandler {

	private final WeChatApiHandler weChatApi;

	private final ControlApiHandler controlApi;

	SandboxRouter(WeChatApiHandler weChatApi, ControlApiHandler controlApi) {
		this.weChatApi = weChatApi;
		this.controlApi = controlApi;
	}

	@Override
	public void handle(HttpExchange exchange) throws IOException {
		try {
			String path = exchange.getRequestURI().getPath();
			WeChatEndpoint api = WeChatEndpoint.forPath(path);
			if (api != null) {
				this.weChatApi.handle(exchange, api);
			}
			else if (ControlApiHandler.handles(path)) {
				this.controlApi.handle(exchange);
			}
			else {
				sendIfUnanswered(exchange, 404, "<html><body><h1>404 Not Found</h1></body></html>");
			}
		}
		catch (HttpExchanges.PayloadTooLargeException ex) {
			sendIfUnanswered(exchange, 413, "<html><body><h1>413 Request Entity Too Large</h1></body></html>");
		}
		catch (RuntimeException ex) {
			// A bug in the sandbox should fail the test that met it with a visible 500,
			// not hang the client.
			sendIfUnanswered(exchange, 500, "<html><body><h1>500 Internal Server Error</h1></body></html>");
			throw ex;
		}
		finally {
			exchange.close();
		}
	}

	private static void sendIfUnanswered(HttpExchange exchange, int status, String html) throws IOException {
		if (exchange.getResponseCode() == -1) {
			HttpExchanges.send(exchange, status, HttpExchanges.HTML, html.getBytes(StandardCharsets.UTF_8));
		}
	}

}
