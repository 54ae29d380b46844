package io.github.wechatminiapp.test;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingAppenderTests {

	@Test
	void findsTheLinesThatContainAValueIncludingStackTraces() {
		LoggerContext context = new LoggerContext();
		Logger logger = context.getLogger("test");
		RecordingAppender appender = new RecordingAppender();
		appender.setContext(context);
		appender.start();
		appender.doAppend(new LoggingEvent("test", logger, Level.INFO, "harmless line {}", null, new Object[] { 1 }));
		appender.doAppend(
				new LoggingEvent("test", logger, Level.WARN, "failed", new IllegalStateException("key=K-42"), null));
		assertThat(RecordingAppender.lines()).contains("harmless line 1");
		assertThat(RecordingAppender.linesContainingAny(List.of("K-42"))).singleElement()
			.asString()
			.startsWith("failed")
			.contains("IllegalStateException");
		assertThat(RecordingAppender.linesContainingAny(List.of("not logged anywhere"))).isEmpty();
	}

}
