package io.github.wechatminiapp.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.github.wechatminiapp.test.SandboxHttp.errcode;
import static io.github.wechatminiapp.test.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OutageTests {

	private final WeChatSandbox sandbox = WeChatSandbox.start();

	private final SandboxHttp http = new SandboxHttp(this.sandbox);

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	private String tokenPath() {
		return "/cgi-bin/token?grant_type=client_credential&appid=" + this.sandbox.appId() + "&secret="
				+ this.sandbox.appSecret();
	}

	private HttpRequest tokenRequest(Duration timeout) {
		return HttpRequest.newBuilder(URI.create(this.sandbox.baseUrl() + tokenPath())).timeout(timeout).build();
	}

	@Test
	void anErrcodeOutageRefusesEveryRequestUntilItEnds() {
		this.sandbox.startOutage(WeChatEndpoint.TOKEN, Fault.errcode(89503), Duration.ofMinutes(1));
		for (int i = 0; i < 3; i++) {
			JsonNode refused = this.http.getJson(tokenPath());
			assertThat(errcode(refused)).isEqualTo(89503);
			assertThat(refused.get("errmsg").asString()).contains("rid: ");
		}
		// Other APIs are untouched, and so are queued faults of the API until the outage
		// ends.
		assertThat(this.http.stableToken(false).has("access_token")).isTrue();
		this.sandbox.enqueueFault(WeChatEndpoint.TOKEN, Fault.errcode(-1));
		assertThat(errcode(this.http.getJson(tokenPath()))).isEqualTo(89503);
		this.sandbox.endOutage(WeChatEndpoint.TOKEN);
		assertThat(errcode(this.http.getJson(tokenPath()))).isEqualTo(-1);
		assertThat(this.http.getJson(tokenPath()).has("access_token")).isTrue();
		assertThat(this.sandbox.requestCount(WeChatEndpoint.TOKEN)).isEqualTo(6);
	}

	@Test
	void anOutageEndsByItselfAfterItsDuration() throws Exception {
		this.sandbox.startOutage(WeChatEndpoint.TOKEN, Fault.httpStatus(503), Duration.ofMillis(300));
		assertThat(this.http.get(tokenPath()).statusCode()).isEqualTo(503);
		Thread.sleep(350);
		assertThat(this.http.getJson(tokenPath()).has("access_token")).isTrue();
	}

	@Test
	void aHangHoldsEachRequestUnansweredUntilTheOutageEnds() throws Exception {
		this.sandbox.startOutage(WeChatEndpoint.TOKEN, Fault.hang(), Duration.ofMinutes(1));
		assertThatExceptionOfType(HttpTimeoutException.class).isThrownBy(() -> SandboxHttp.CLIENT
			.send(tokenRequest(Duration.ofMillis(300)), HttpResponse.BodyHandlers.ofString()));
		CompletableFuture<HttpResponse<String>> held = HttpClient.newHttpClient()
			.sendAsync(tokenRequest(Duration.ofSeconds(10)), HttpResponse.BodyHandlers.ofString());
		Thread.sleep(200);
		assertThat(held).isNotDone();
		this.sandbox.endOutage(WeChatEndpoint.TOKEN);
		// Released without an answer (the JDK client may resend a GET whose connection
		// was cut, now served).
		held.handle((response, failure) -> response).get(5, TimeUnit.SECONDS);
		assertThat(this.http.getJson(tokenPath()).has("access_token")).isTrue();
	}

	@Test
	void aNewOutageReplacesThePreviousOne() {
		this.sandbox.startOutage(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(89503), Duration.ofMinutes(1));
		this.sandbox.startOutage(WeChatEndpoint.STABLE_TOKEN, Fault.errcode(40164), Duration.ofMinutes(1));
		assertThat(errcode(this.http.stableToken(false))).isEqualTo(40164);
	}

	@Test
	void outagesNeedAnApiAFaultAndAPositiveDuration() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.sandbox.startOutage(WeChatEndpoint.TOKEN, Fault.hang(), Duration.ZERO));
		assertThatExceptionOfType(NullPointerException.class)
			.isThrownBy(() -> this.sandbox.startOutage(null, Fault.hang(), Duration.ofSeconds(1)));
		assertThatExceptionOfType(NullPointerException.class)
			.isThrownBy(() -> this.sandbox.startOutage(WeChatEndpoint.TOKEN, null, Duration.ofSeconds(1)));
		assertThat(Fault.hang()).hasToString("Fault.hang()");
		this.sandbox.endOutage(WeChatEndpoint.TOKEN);
	}

	@Test
	void theControlApiStartsAndEndsOutages() {
		HttpResponse<String> started = this.http.post("/sandbox/outages",
				"{\"api\":\"TOKEN\",\"errcode\":89503,\"seconds\":60}");
		assertThat(started.statusCode()).isEqualTo(200);
		assertThat(json(started).get("fault").asString()).isEqualTo("Fault.errcode(89503)");
		assertThat(errcode(this.http.getJson(tokenPath()))).isEqualTo(89503);
		assertThat(this.http.post("/sandbox/outages/end", "{\"api\":\"/cgi-bin/token\"}").statusCode()).isEqualTo(204);
		assertThat(this.http.getJson(tokenPath()).has("access_token")).isTrue();

		assertThat(this.http.post("/sandbox/outages", "{\"api\":\"stable_token\",\"httpStatus\":503,\"seconds\":60}")
			.statusCode()).isEqualTo(200);
		assertThat(this.http.post("/sandbox/outages", "{\"api\":\"TOKEN\",\"hang\":true,\"seconds\":60}").statusCode())
			.isEqualTo(200);
		assertThat(this.http.post("/sandbox/outages/end", "").statusCode()).isEqualTo(204);
		assertThat(this.http.stableToken(false).has("access_token")).isTrue();
		assertThat(this.http.getJson(tokenPath()).has("access_token")).isTrue();

		for (String bad : new String[] { "{\"api\":\"nope\",\"errcode\":1,\"seconds\":1}",
				"{\"api\":\"TOKEN\",\"errcode\":89503}", "{\"api\":\"TOKEN\",\"seconds\":5}",
				"{\"errcode\":89503,\"seconds\":5}", "{\"api\":\"TOKEN\",\"errcode\":0,\"seconds\":5}",
				"{\"api\":\"TOKEN\",\"httpStatus\":200,\"seconds\":5}", "not json", "" }) {
			assertThat(this.http.post("/sandbox/outages", bad).statusCode()).as(bad).isEqualTo(400);
		}
		assertThat(this.http.get("/sandbox/outages").statusCode()).isEqualTo(405);
		assertThat(this.http.getJson(tokenPath()).has("access_token")).isTrue();
	}

	@Test
	void theOtherServerApisNeedAValidTokenAndPost() {
		String token = this.http.token();
		HttpResponse<String> image = this.http.post("/wxa/getwxacodeunlimit?access_token=" + token,
				"{\"scene\":\"a=1\"}");
		assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
		assertThat(errcode(this.http.postJson("/wxa/getwxacodeunlimit?access_token=wrong", "{\"scene\":\"a\"}")))
			.isEqualTo(40001);
		assertThat(errcode(this.http.postJson("/wxa/getwxacodeunlimit?access_token=" + token, "{}"))).isEqualTo(40169);
		assertThat(errcode(this.http.postJson("/wxa/getwxacodeunlimit?access_token=" + token, "[1]"))).isEqualTo(47001);
		assertThat(errcode(this.http.getJson("/wxa/getwxacodeunlimit?access_token=" + token))).isEqualTo(43002);
		assertThat(errcode(this.http.postJson("/wxa/getwxacodeunlimit", "{\"scene\":\"a\"}"))).isEqualTo(41001);
		JsonNode link = this.http.postJson("/wxa/generate_urllink?access_token=" + token, "{}");
		assertThat(link.get("url_link").asString()).startsWith("https://wxaurl.cn/");
		assertThat(errcode(this.http.postJson("/wxa/generate_urllink?access_token=" + token, "x"))).isEqualTo(47001);
		assertThat(errcode(this.http.getJson("/wxa/generate_urllink?access_token=" + token))).isEqualTo(43002);
		assertThat(errcode(this.http.postJson("/wxa/generate_urllink?access_token=bad", "{}"))).isEqualTo(40001);
	}

}
