package io.github.wechatminiapp.sample;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link SimulatorIT} prints when it cannot run: the reason and the install command.
 */
class SimulatorSkipReasonTests {

	private static final Path EXECUTABLE = Path.of(System.getProperty("java.home"), "bin", "java");

	private static final Path MISSING = Path.of("/nonexistent/chromium");

	@Test
	void noReasonWhenBothAreInstalled() {
		assertThat(SimulatorIT.skipReason(EXECUTABLE, EXECUTABLE)).isEmpty();
	}

	@Test
	void aMissingBrowserIsNamedWithTheInstallCommand() {
		assertThat(SimulatorIT.skipReason(MISSING, EXECUTABLE))
			.hasValueSatisfying((reason) -> assertThat(reason).contains("no Chromium at " + MISSING)
				.doesNotContain("no chromedriver")
				.contains("apt-get install chromium chromium-driver"));
	}

	@Test
	void aMissingDriverIsNamedWithTheInstallCommand() {
		assertThat(SimulatorIT.skipReason(EXECUTABLE, MISSING))
			.hasValueSatisfying((reason) -> assertThat(reason).contains("no chromedriver at " + MISSING)
				.doesNotContain("no Chromium")
				.contains("apt-get install chromium chromium-driver"));
	}

}
