package io.github.wechatminiapp.autoconfigure;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.client.JdkClientHttpRequestFactory;

/**
 * The JDK HTTP client the starter talks to WeChat with, and the threads it runs on, which
 * stop with the context.
 */
final class WeChatMiniAppHttpResources implements DisposableBean {

	private final ExecutorService executor;

	private final JdkClientHttpRequestFactory requestFactory;

	WeChatMiniAppHttpResources(Duration connectTimeout, Duration readTimeout) {
		AtomicInteger threads = new AtomicInteger();
		this.executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "wechat-miniapp-http-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		HttpClient httpClient = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.executor(this.executor)
			.build();
		this.requestFactory = new JdkClientHttpRequestFactory(httpClient);
		this.requestFactory.setReadTimeout(readTimeout);
	}

	JdkClientHttpRequestFactory requestFactory() {
		return this.requestFactory;
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
