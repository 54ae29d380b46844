package io.github.wechatminiapp.hygiene;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;

/**
 * Keeps every log line of the test JVM, with its stack trace, so that {@link LogHygieneIT} can search them all.
 */
public final class RecordingAppender extends AppenderBase<ILoggingEvent> {

	private static final int MAX_LINES = 500_000;

	private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

	private static final AtomicInteger COUNT = new AtomicInteger();

	@Override
	protected void append(ILoggingEvent event) {
		if (COUNT.incrementAndGet() > MAX_LINES) {
			return;
		}
		StringBuilder line = new StringBuilder(event.getFormattedMessage());
		if (event.getThrowableProxy() != null) {
			line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
		}
		LINES.add(line.toString());
	}

	static List<String> lines() {
		return List.copyOf(LINES);
	}

	static boolean overflowed() {
		return COUNT.get() > MAX_LINES;
	}

}
