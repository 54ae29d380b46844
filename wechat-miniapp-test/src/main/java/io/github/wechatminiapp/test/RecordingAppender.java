package io.github.wechatminiapp.test;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;

/**
 * A Logback appender that keeps every log line of the test JVM, with its stack trace, so
 * that the {@link LogHygieneListener} can search them all, once every test has run, for
 * the secrets {@link WeChatSandbox#issuedSecrets()} lists. Register it in
 * {@code logback-test.xml}: {@code <appender name="RECORDING" class=
 * "io.github.wechatminiapp.test.RecordingAppender"/>} and reference it from the root
 * logger. Logback is an optional dependency of this module.
 */
public final class RecordingAppender extends AppenderBase<ILoggingEvent> {

	private static final int MAX_LINES = 500_000;

	private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

	private static final AtomicInteger COUNT = new AtomicInteger();

	private static volatile boolean started;

	@Override
	public void start() {
		super.start();
		started = true;
	}

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

	/**
	 * Every line recorded so far in this JVM.
	 * @return the lines, each with its stack trace
	 */
	public static List<String> lines() {
		return List.copyOf(LINES);
	}

	/**
	 * The recorded lines that contain any of the given values, such as
	 * {@link WeChatSandbox#issuedSecrets()}.
	 * @param values what must not have been logged
	 * @return the offending lines, empty when none
	 */
	public static List<String> linesContainingAny(Collection<String> values) {
		return LINES.stream().filter((line) -> values.stream().anyMatch(line::contains)).toList();
	}

	/**
	 * Whether an appender of this class was started in this JVM, that is, whether a
	 * Logback configuration uses it.
	 * @return true once one has started
	 */
	public static boolean started() {
		return started;
	}

	/**
	 * Whether more lines came than are kept (500,000), so that {@link #lines()} is not
	 * all of them.
	 * @return true when lines were dropped
	 */
	public static boolean overflowed() {
		return COUNT.get() > MAX_LINES;
	}

	/**
	 * Forgets every line, for the tests of this module that record lines on purpose.
	 */
	static void reset() {
		LINES.clear();
		COUNT.set(0);
	}

}
