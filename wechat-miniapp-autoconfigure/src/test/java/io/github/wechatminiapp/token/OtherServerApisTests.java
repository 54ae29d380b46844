package io.github.wechatminiapp.token;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.wechatminiapp.client.RetrySettings;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatCommunicationException;
import io.github.wechatminiapp.client.WeChatMiniAppClient;
import io.github.wechatminiapp.crypto.OpenDataSignatures;
import io.github.wechatminiapp.test.Fault;
import io.github.wechatminiapp.test.WeChatEndpoint;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Any other WeChat server API called with the managed token, as the README shows, against
 * the sandbox: a mini program code image and a URL link, retried once with a new token
 * when WeChat rejects the token.
 */
class OtherServerApisTests {

	private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension();

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private final WeChatMiniAppClient client = new WeChatMiniAppClient(RestClient.builder()
		.baseUrl(sandbox.baseUrl())
		.requestFactory(new JdkClientHttpRequestFactory(HttpClient.newHttpClient()))
		.build(), sandbox.appId(), sandbox.appSecret(), new RetrySettings(1, Duration.ZERO, Duration.ZERO, 1));

	private final CachingAccessTokenProvider accessTokens = new CachingAccessTokenProvider(this.client,
			new InMemoryAccessTokenStore());

	{
		// /cgi-bin/token gives a new token on each fetch, as a rejected stable token
		// would after a forced refresh.
		this.accessTokens.setStableToken(false);
	}

	record UrlLink(@JsonProperty("url_link") String urlLink) {
	}

	/** As README.md shows it (less {@code @Service}). */
	static class MiniProgramCodes {

		record UrlLink(@JsonProperty("url_link") String urlLink) {
		}

		private final AccessTokenProvider accessTokens;

		private final WeChatMiniAppClient client;

		MiniProgramCodes(AccessTokenProvider accessTokens, WeChatMiniAppClient client) {
			this.accessTokens = accessTokens;
			this.client = client;
		}

		byte[] code(String scene) {
			return this.accessTokens.execute((token) -> this.client.postForBytes("/wxa/getwxacodeunlimit", token,
					Map.of("scene", scene, "page", "pages/index/index", "check_path", false)));
		}

		UrlLink urlLink() {
			return this.accessTokens.execute((token) -> this.client.postForJson("/wxa/generate_urllink", token,
					Map.of("path", "pages/index/index", "query", "a=1"), UrlLink.class));
		}

	}

	@Test
	void theReadmesExampleAsWritten() {
		MiniProgramCodes codes = new MiniProgramCodes(this.accessTokens, this.client);
		assertThat(Arrays.copyOf(codes.code("order=42"), 8)).isEqualTo(PNG_SIGNATURE);
		assertThat(codes.urlLink().urlLink()).startsWith("https://wxaurl.cn/");
	}

	@BeforeEach
	void reset() {
		sandbox.clearFaults();
		sandbox.resetCounts();
	}

	private byte[] wxaCode(String scene) {
		return this.accessTokens.execute((token) -> this.client.postForBytes("/wxa/getwxacodeunlimit", token,
				Map.of("scene", scene, "page", "pages/index/index", "check_path", false)));
	}

	@Test
	void aMiniProgramCodeImageAsBytes() {
		byte[] image = wxaCode("order=42");
		assertThat(Arrays.copyOf(image, 8)).isEqualTo(PNG_SIGNATURE);
		assertThat(wxaCode("order=42")).isEqualTo(image);
		assertThat(wxaCode("order=43")).isNotEqualTo(image);
		assertThat(sandbox.requestCount(WeChatEndpoint.GET_WXACODE_UNLIMIT)).isEqualTo(3);
		assertThat(sandbox.requestCount(WeChatEndpoint.TOKEN)).isEqualTo(1);
	}

	@Test
	void aJsonErrorInPlaceOfTheImageIsWeChatsError() {
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> wxaCode("x".repeat(33)))
			.satisfies((ex) -> {
				assertThat(ex.errcode()).isEqualTo(40169);
				assertThat(ex.rid()).isPresent();
			});
	}

	@Test
	void anEmptyAnswerIsNoImage() {
		sandbox.enqueueFault(WeChatEndpoint.GET_WXACODE_UNLIMIT, Fault.emptyBody());
		assertThatExceptionOfType(WeChatCommunicationException.class).isThrownBy(() -> wxaCode("a"));
		sandbox.enqueueFault(WeChatEndpoint.GET_WXACODE_UNLIMIT, Fault.httpStatus(502));
		assertThatExceptionOfType(WeChatCommunicationException.class).isThrownBy(() -> wxaCode("a"))
			.withMessageContaining("502");
	}

	@Test
	void aRejectedTokenIsReplacedAndTheCallMadeOnceMore() {
		String first = this.accessTokens.getAccessToken();
		for (int errcode : new int[] { 40001, 40014, 42001 }) {
			sandbox.resetCounts();
			sandbox.enqueueFault(WeChatEndpoint.GET_WXACODE_UNLIMIT, Fault.errcode(errcode));
			assertThat(Arrays.copyOf(wxaCode("retry"), 8)).as("errcode " + errcode).isEqualTo(PNG_SIGNATURE);
			assertThat(sandbox.requestCount(WeChatEndpoint.GET_WXACODE_UNLIMIT)).isEqualTo(2);
			assertThat(sandbox.requestCount(WeChatEndpoint.TOKEN)).isEqualTo(1);
		}
		// Only once: a second rejection in a row is the caller's to see.
		sandbox.resetCounts();
		sandbox.enqueueFault(WeChatEndpoint.GET_WXACODE_UNLIMIT, Fault.errcode(40014));
		sandbox.enqueueFault(WeChatEndpoint.GET_WXACODE_UNLIMIT, Fault.errcode(40014));
		assertThatExceptionOfType(WeChatApiException.class).isThrownBy(() -> wxaCode("again"))
			.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(40014));
		assertThat(sandbox.requestCount(WeChatEndpoint.GET_WXACODE_UNLIMIT)).isEqualTo(2);
		assertThat(first).isNotBlank();
	}

	@Test
	void aRevokedTokenIsReallyReplaced() {
		String first = this.accessTokens.getAccessToken();
		sandbox.revokeAccessTokens();
		assertThat(Arrays.copyOf(wxaCode("revoked"), 8)).isEqualTo(PNG_SIGNATURE);
		assertThat(this.accessTokens.getAccessToken()).isNotEqualTo(first);
	}

	@Test
	void typedJsonAnswers() {
		UrlLink link = this.accessTokens.execute((token) -> this.client.postForJson("/wxa/generate_urllink", token,
				Map.of("path", "pages/index/index", "query", "a=1"), UrlLink.class));
		assertThat(link.urlLink()).startsWith("https://wxaurl.cn/");
		JsonNode tree = this.accessTokens.execute((token) -> this.client.postForJson("/wxa/generate_urllink", token,
				Map.of("path", "pages/index/index"), JsonNode.class));
		assertThat(tree.path("errcode").asInt()).isZero();
		sandbox.enqueueFault(WeChatEndpoint.GENERATE_URLLINK, Fault.errcode(42001));
		assertThat(this.accessTokens
			.execute((token) -> this.client.postForJson("/wxa/generate_urllink", token,
					Map.of("path", "pages/index/index"), UrlLink.class))
			.urlLink()).startsWith("https://wxaurl.cn/");
		assertThat(sandbox.requestCount(WeChatEndpoint.GENERATE_URLLINK)).isEqualTo(4);
	}

	@Test
	void getRequestsWithQueryParameters() {
		WeChatSandboxUser user = sandbox.createUser();
		String signature = OpenDataSignatures.sessionKeySignature(sandbox.sessionKey(user));
		JsonNode answer = this.accessTokens.execute((token) -> this.client.getForJson("/wxa/checksession", token,
				Map.of("openid", user.openid(), "signature", signature, "sig_method", "hmac_sha256"), JsonNode.class));
		assertThat(answer.path("errcode").asInt()).isZero();
		assertThatExceptionOfType(WeChatApiException.class)
			.isThrownBy(
					() -> this.accessTokens
						.execute((token) -> this.client.getForJson("/wxa/checksession", token,
								Map.of("openid", user.openid(), "signature", "0".repeat(64), "sig_method",
										"hmac_sha256"),
								JsonNode.class)))
			.satisfies((ex) -> assertThat(ex.errcode()).isEqualTo(87009));
	}

	@Test
	void anAnswerThatDoesNotFitTheTypeIsAnInvalidAnswer() {
		assertThatExceptionOfType(WeChatCommunicationException.class)
			.isThrownBy(() -> this.accessTokens.execute((token) -> this.client.postForJson("/wxa/generate_urllink",
					token, Map.of("path", "p"), Integer.class)))
			.withMessageContaining("Integer");
	}

	@Test
	void pathsStayWithinTheApi() {
		String token = this.accessTokens.getAccessToken();
		for (String path : new String[] { "wxa/x", "/wxa/../cgi-bin/token", "//evil.example/x", "/wxa/x?a=b",
				"/wxa/{token}", "https://evil.example/x", "/wxa/x#f", "/" + "a".repeat(201), "" }) {
			assertThatExceptionOfType(IllegalArgumentException.class).as(path)
				.isThrownBy(() -> this.client.postForJson(path, token, Map.of(), JsonNode.class));
			assertThatExceptionOfType(IllegalArgumentException.class).as(path)
				.isThrownBy(() -> this.client.postForBytes(path, token, Map.of()));
			assertThatExceptionOfType(IllegalArgumentException.class).as(path)
				.isThrownBy(() -> this.client.getForJson(path, token, Map.of(), JsonNode.class));
		}
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.client.postForJson(null, token, Map.of(), JsonNode.class));
		assertThat(sandbox.totalRequestCount()).isEqualTo(sandbox.requestCount(WeChatEndpoint.TOKEN));
		assertThat(new String(PNG_SIGNATURE, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
	}

}
