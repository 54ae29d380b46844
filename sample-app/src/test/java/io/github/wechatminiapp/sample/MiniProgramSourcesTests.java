package io.github.wechatminiapp.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JavaScript a user pastes into a mini program, and the simulator's, at least parses
 * ({@code node --check}, skipped when Node.js is not installed); the JSON files are JSON;
 * the phone callback never calls wx.login.
 */
class MiniProgramSourcesTests {

	private static final Path MINIPROGRAM = Path.of("miniprogram");

	private static final Path STATIC = Path.of("src/main/resources/static");

	@Test
	void javaScriptParses() throws Exception {
		Assumptions.assumeTrue(nodeAvailable(), "node --check skipped: Node.js (node) is not on the PATH");
		List<Path> scripts = files(".js");
		assertThat(scripts).contains(MINIPROGRAM.resolve("app.js"), MINIPROGRAM.resolve("pages/index/index.js"),
				STATIC.resolve("app.js"));
		for (Path script : scripts) {
			Process process = new ProcessBuilder("node", "--check", script.toString()).redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(process.exitValue()).as(script + ": " + output).isZero();
		}
	}

	@Test
	void jsonFilesAreJson() throws IOException {
		JsonMapper json = JsonMapper.builder().build();
		List<Path> files = files(".json");
		assertThat(files).contains(MINIPROGRAM.resolve("app.json"), MINIPROGRAM.resolve("pages/index/index.json"));
		for (Path file : files) {
			assertThat(json.readTree(file.toFile()).isObject()).as(file.toString()).isTrue();
		}
	}

	@Test
	void thePhoneButtonIsWiredAndItsCallbackNeverCallsWxLogin() throws IOException {
		String wxml = Files.readString(MINIPROGRAM.resolve("pages/index/index.wxml"));
		assertThat(wxml).contains("open-type=\"getPhoneNumber\"", "bindgetphonenumber=\"onGetPhoneNumber\"");
		String page = Files.readString(MINIPROGRAM.resolve("pages/index/index.js"));
		assertThat(page).contains("onGetPhoneNumber(e)", "detail.code", "detail.encryptedData", "detail.iv")
			.doesNotContain("wx.login(");
		String app = Files.readString(MINIPROGRAM.resolve("app.js"));
		assertThat(app).contains("wx.checkSession(", "wx.login(", "Authorization: 'Bearer ' + ")
			.doesNotContain("X-Auth-Token");
	}

	private static List<Path> files(String suffix) throws IOException {
		try (Stream<Path> miniprogram = Files.walk(MINIPROGRAM); Stream<Path> web = Files.walk(STATIC)) {
			return Stream.concat(miniprogram, web)
				.filter((path) -> path.toString().endsWith(suffix))
				.filter((path) -> !path.toString().contains("node_modules"))
				.sorted()
				.toList();
		}
	}

	private static boolean nodeAvailable() {
		try {
			Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
