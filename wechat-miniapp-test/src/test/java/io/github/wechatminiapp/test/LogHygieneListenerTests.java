package io.github.wechatminiapp.test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs small suites on a real JUnit Platform launcher with the
 * {@link LogHygieneListener}, as the build registers it, and checks that a secret logged
 * by any of their tests is reported where the build fails on it.
 */
class LogHygieneListenerTests {

	@TempDir
	Path directory;

	@BeforeEach
	@AfterEach
	void forgetRecordedLines() {
		RecordingAppender.reset();
	}

	@Test
	void aSandboxSecretLoggedByATestIsReportedMaskedInTheReportFile() throws Exception {
		Path report = this.directory.resolve("target/log-hygiene-leaks.txt");
		ByteArrayOutputStream standardError = new ByteArrayOutputStream();
		SummaryGeneratingListener summary = run(LeakingSuite.class, report, standardError);
		assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(2);
		assertThat(report).exists();
		String content = Files.readString(report);
		assertThat(content).startsWith("LOG HYGIENE FAILED: 2 finding(s)");
		assertThat(standardError.toString(StandardCharsets.UTF_8)).isEqualTo(content);
		assertThat(content).contains("a log line contains a secret or a full phone number: app credential is ******")
			.contains("calling +86 ******")
			.doesNotContain("harmless");
		assertThat(content).doesNotContain(LeakingSuite.leakedSecret).doesNotContain(LeakingSuite.leakedPhoneNumber);
	}

	@Test
	void anAddedSecretLoggedByATestIsReported() throws Exception {
		Path report = this.directory.resolve("leaks.txt");
		run(BearerTokenSuite.class, report);
		assertThat(Files.readString(report)).contains("issued bearer token ****** to the client")
			.doesNotContain(BearerTokenSuite.TOKEN);
	}

	@Test
	void aCleanRunRemovesTheReportOfAnEarlierRunAndWritesNone() throws Exception {
		Path report = this.directory.resolve("leaks.txt");
		Files.writeString(report, "an earlier run's finding");
		SummaryGeneratingListener summary = run(CleanSuite.class, report);
		assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(1);
		assertThat(report).doesNotExist();
	}

	@Test
	void logsThatWereNotRecordedCannotPassForClean() {
		LogHygieneListener listener = new LogHygieneListener(List::of, Set::of, () -> false, System.err);
		assertThat(listener.findings()).singleElement()
			.asString()
			.contains("RecordingAppender is not on the root logger");
	}

	@Test
	void recordedLinesFreeOfSecretsAreClean() {
		LogHygieneListener listener = new LogHygieneListener(() -> List.of("login of o-123 succeeded"),
				() -> Set.of("s3cr3t-value"), () -> true, System.err);
		assertThat(listener.findings()).isEmpty();
	}

	@Test
	void secretsShorterThanFourCharactersAreFoundButNotMasked() {
		LogHygieneListener listener = new LogHygieneListener(() -> List.of("code abc"), () -> Set.of("abc"), () -> true,
				System.err);
		assertThat(listener.findings()).singleElement().asString().endsWith("code abc");
	}

	@Test
	void emptyAndNullAddedSecretsAreIgnored() {
		LogHygieneListener.addSecret("");
		LogHygieneListener.addSecret(null);
		RecordingAppender appender = startedAppender();
		log(appender, "an ordinary line");
		assertThat(new LogHygieneListener().findings()).isEmpty();
	}

	private static SummaryGeneratingListener run(Class<?> suite, Path report) {
		return run(suite, report, new ByteArrayOutputStream());
	}

	private static SummaryGeneratingListener run(Class<?> suite, Path report, ByteArrayOutputStream standardError) {
		SummaryGeneratingListener summary = new SummaryGeneratingListener();
		LogHygieneListener listener = new LogHygieneListener(
				new PrintStream(standardError, true, StandardCharsets.UTF_8));
		Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
			.enableTestExecutionListenerAutoRegistration(false)
			.addTestExecutionListeners(listener, summary)
			.build());
		launcher.execute(request().selectors(selectClass(suite))
			.configurationParameter(LogHygieneListener.REPORT_FILE_PARAMETER, report.toString())
			.build());
		return summary;
	}

	static RecordingAppender startedAppender() {
		RecordingAppender appender = new RecordingAppender();
		appender.setContext(new LoggerContext());
		appender.start();
		return appender;
	}

	static void log(RecordingAppender appender, String format, Object... arguments) {
		LoggerContext context = (LoggerContext) appender.getContext();
		Logger logger = context.getLogger("io.github.wechatminiapp.example");
		logger.addAppender(appender);
		logger.info(format, arguments);
	}

	/**
	 * Not run by the build itself (a nested class): run by the tests above on their own
	 * launcher.
	 */
	static class LeakingSuite {

		static String leakedSecret;

		static String leakedPhoneNumber;

		@Test
		void logsTheAppSecret() {
			try (WeChatSandbox sandbox = WeChatSandbox.start()) {
				leakedSecret = sandbox.appSecret();
				log(startedAppender(), "app credential is {}", leakedSecret);
			}
		}

		@Test
		void logsAFullPhoneNumber() {
			try (WeChatSandbox sandbox = WeChatSandbox.start()) {
				leakedPhoneNumber = sandbox.createUser().purePhoneNumber();
				log(startedAppender(), "calling +86 {}", leakedPhoneNumber);
			}
		}

	}

	static class BearerTokenSuite {

		static final String TOKEN = "mTk3NzQ0MTk2NjM0-bearer";

		@Test
		void logsABearerToken() {
			LogHygieneListener.addSecret(TOKEN);
			log(startedAppender(), "issued bearer token {} to the client", TOKEN);
		}

	}

	static class CleanSuite {

		@Test
		void logsNothingSecret() {
			try (WeChatSandbox sandbox = WeChatSandbox.start()) {
				sandbox.createUser();
				log(startedAppender(), "harmless line for app {}", sandbox.appId());
			}
		}

	}

}
