package io.github.wechatminiapp.test;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;
import org.slf4j.LoggerFactory;

/**
 * A JUnit Platform listener that, once every test of the JVM has run, searches every line
 * the {@link RecordingAppender} recorded for any secret a {@link WeChatSandbox} handed
 * out (app secrets, session keys, access tokens), any full phone number of its users, and
 * any value a test {@linkplain #addSecret(String) added} (such as the bearer tokens an
 * application answered).
 *
 * <p>
 * Register it in the test classpath, in
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}, with the
 * {@link RecordingAppender} on the root logger. The JUnit Platform only logs what a
 * listener throws, so a finding is reported twice: on standard error, each offending line
 * with the secrets in it masked, and in the file named by the configuration parameter
 * {@value #REPORT_FILE_PARAMETER} (written only when something is found, removed when a
 * run starts), which the build fails on (Maven Enforcer's {@code requireFilesDontExist}).
 * Finding nothing also fails the check when the appender is not installed or dropped
 * lines, since the search would then prove nothing.
 *
 * <p>
 * The sandbox, the recording and the added values are per JVM, so each forked test JVM
 * checks its own logs.
 */
public final class LogHygieneListener implements TestExecutionListener {

	/**
	 * The configuration parameter naming the file a finding is written to, such as
	 * {@code target/log-hygiene-leaks.txt} in {@code junit-platform.properties}.
	 */
	public static final String REPORT_FILE_PARAMETER = "wechatminiapp.log-hygiene.report-file";

	private static final Set<String> ADDED_SECRETS = ConcurrentHashMap.newKeySet();

	private static final int MASK_MINIMUM_LENGTH = 4;

	private static final String MASK = "******";

	private final Supplier<List<String>> lines;

	private final Supplier<Collection<String>> secrets;

	private final Supplier<Boolean> recording;

	private final PrintStream report;

	private volatile Optional<Path> reportFile = Optional.empty();

	/**
	 * The listener the JUnit Platform loads: the {@link RecordingAppender}'s lines
	 * against the sandbox's secrets and phone numbers and the
	 * {@linkplain #addSecret(String) added} values.
	 */
	public LogHygieneListener() {
		this(System.err);
	}

	LogHygieneListener(PrintStream report) {
		this(RecordingAppender::lines, LogHygieneListener::everySecret, LogHygieneListener::recordingEveryLine, report);
	}

	LogHygieneListener(Supplier<List<String>> lines, Supplier<Collection<String>> secrets, Supplier<Boolean> recording,
			PrintStream report) {
		this.lines = lines;
		this.secrets = secrets;
		this.recording = recording;
		this.report = report;
	}

	/**
	 * Adds a value that no log line of this JVM may contain, such as a bearer token an
	 * application answered.
	 * @param secret the value; {@code null} and empty values are ignored
	 */
	public static void addSecret(@Nullable String secret) {
		if (secret != null && !secret.isEmpty()) {
			ADDED_SECRETS.add(secret);
		}
	}

	@Override
	public void testPlanExecutionStarted(TestPlan testPlan) {
		this.reportFile = testPlan.getConfigurationParameters().get(REPORT_FILE_PARAMETER).map(Path::of);
		this.reportFile.ifPresent(LogHygieneListener::deleteIfExists);
	}

	@Override
	public void testPlanExecutionFinished(TestPlan testPlan) {
		List<String> findings = findings();
		if (findings.isEmpty()) {
			return;
		}
		StringBuilder report = new StringBuilder("LOG HYGIENE FAILED: ").append(findings.size())
			.append(" finding(s) in the logs of this test JVM")
			.append(System.lineSeparator());
		findings.forEach((finding) -> report.append("- ").append(finding).append(System.lineSeparator()));
		this.report.print(report);
		this.reportFile.ifPresent((file) -> write(file, report.toString()));
	}

	/**
	 * What this JVM's logs give away so far, each finding with the secrets in it masked.
	 * @return the findings, empty when the logs are clean and were all recorded
	 */
	List<String> findings() {
		List<String> findings = new ArrayList<>();
		if (!this.recording.get()) {
			findings.add("the RecordingAppender is not on the root logger or dropped lines, so the logs of this "
					+ "test JVM cannot be searched for secrets");
		}
		Collection<String> secrets = this.secrets.get();
		for (String line : this.lines.get()) {
			if (secrets.stream().anyMatch(line::contains)) {
				findings.add("a log line contains a secret or a full phone number: " + mask(line, secrets));
			}
		}
		return findings;
	}

	private static boolean recordingEveryLine() {
		// Logging starts with the first logger: a JVM whose tests logged nothing has not
		// read logback-test.xml yet.
		LoggerFactory.getILoggerFactory();
		return RecordingAppender.started() && !RecordingAppender.overflowed();
	}

	private static Collection<String> everySecret() {
		Set<String> secrets = new HashSet<>(WeChatSandbox.issuedSecrets());
		secrets.addAll(WeChatSandbox.issuedPhoneNumbers());
		secrets.addAll(ADDED_SECRETS);
		return secrets;
	}

	private static String mask(String line, Collection<String> secrets) {
		String masked = line;
		// The longest first, so that a secret inside another is not left half shown.
		List<String> longestFirst = secrets.stream()
			.filter((secret) -> secret.length() >= MASK_MINIMUM_LENGTH)
			.sorted(Comparator.comparingInt(String::length).reversed())
			.toList();
		for (String secret : longestFirst) {
			masked = masked.replace(secret, MASK);
		}
		return masked;
	}

	private static void deleteIfExists(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void write(Path file, String report) {
		try {
			Path parent = file.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			Files.writeString(file, report, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
