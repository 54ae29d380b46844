package io.github.wechatminiapp.test;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.github.wechatminiapp.test.SandboxHttp.errcode;
import static io.github.wechatminiapp.test.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FaultTests {

	private final WeChatSandbox sandbox = WeChatSandbox.start();

	private final SandboxHttp http = new SandboxHttp(this.sandbox);

	private final WeChatSandboxUser user = this.sandbox.createUser();

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	@Test
	void errcodeFaultAnswersWeChatsBusyErrorAndLeavesTheCodeUnused() {
		String code = this.sandbox.loginCode(this.user);
		this.sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.errcode(-1));
		HttpResponse<String> busy = this.http.jscode2session(code);
		assertThat(busy.statusCode()).isEqualTo(200);
		assertThat(busy.headers().firstValue("Content-Type")).hasValue("text/plain");
		assertThat(errcode(json(busy))).isEqualTo(-1);
		assertThat(json(busy).get("errmsg").asString()).startsWith("system error");
		JsonNode retried = json(this.http.jscode2session(code));
		assertThat(retried.get("openid").asString()).isEqualTo(this.user.openid());
	}

	@Test
	void errcodeFaultWithOwnMessage() {
		this.sandbox.enqueueFault(WeChatEndpoint.TOKEN, Fault.errcode(45009));
		this.sandbox.enqueueFault(WeChatEndpoint.TOKEN, Fault.errcode(1400001, "quota exhausted"));
		JsonNode daily = this.http.getJson(tokenPath());
		assertThat(errcode(daily)).isEqualTo(45009);
		assertThat(daily.get("errmsg").asString()).startsWith("reach max api daily quota limit");
		JsonNode quota = this.http.getJson(tokenPath());
		assertThat(errcode(quota)).isEqualTo(1400001);
		assertThat(quota.get("errmsg").asString()).startsWith("quota exhausted, rid: ");
	}

	@Test
	void httpStatusFaultAnswersAGatewayPage() {
		String code = this.sandbox.loginCode(this.user);
		this.sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.httpStatus(502));
		HttpResponse<String> response = this.http.jscode2session(code);
		assertThat(response.statusCode()).isEqualTo(502);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(response.body()).contains("502 Bad Gateway");
		assertThat(errcode(json(this.http.jscode2session(code)))).isZero();
	}

	@Test
	void delayFaultWaitsThenAnswersNormally() {
		this.sandbox.enqueueFault(WeChatEndpoint.STABLE_TOKEN, Fault.delay(Duration.ofMillis(200)));
		long start = System.nanoTime();
		JsonNode body = this.http.stableToken(false);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
		assertThat(body.get("access_token").asString()).isNotEmpty();
	}

	@Test
	void malformedBodyFaultTruncatesTheJson() {
		String code = this.sandbox.loginCode(this.user);
		this.sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.malformedBody());
		HttpResponse<String> response = this.http.jscode2session(code);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"errcode\":0,\"session_");
		assertThat(errcode(json(this.http.jscode2session(code)))).isZero();
	}

	@Test
	void emptyBodyFaultAnswersNothing() {
		this.sandbox.enqueueFault(WeChatEndpoint.GET_USER_PHONE_NUMBER, Fault.emptyBody());
		String phoneCode = this.sandbox.phoneCode(this.user);
		String token = this.http.token();
		HttpResponse<String> response = this.http.post("/wxa/business/getuserphonenumber?access_token=" + token,
				"{\"code\":\"" + phoneCode + "\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEmpty();
		assertThat(errcode(this.http.phoneNumber(token, phoneCode))).isZero();
	}

	@Test
	void faultsAreFifoPerApiAndUsedOnce() {
		this.sandbox.enqueueFault(WeChatEndpoint.TOKEN, Fault.errcode(-1));
		this.sandbox.enqueueFault(WeChatEndpoint.TOKEN, Fault.httpStatus(503));
		this.sandbox.enqueueFault(WeChatEndpoint.CHECK_SESSION, Fault.errcode(-1));
		assertThat(errcode(this.http.stableToken(false))).as("other APIs are unaffected").isZero();
		assertThat(errcode(this.http.getJson(tokenPath()))).isEqualTo(-1);
		assertThat(this.http.get(tokenPath()).statusCode()).isEqualTo(503);
		assertThat(this.http.getJson(tokenPath()).has("access_token")).isTrue();
		assertThat(this.sandbox.requestCount(WeChatEndpoint.TOKEN)).as("faulted requests count").isEqualTo(3);
	}

	@Test
	void clearFaultsDropsQueuedFaults() {
		this.sandbox.enqueueFault(WeChatEndpoint.TOKEN, Fault.errcode(-1));
		this.sandbox.enqueueFault(WeChatEndpoint.CHECK_SESSION, Fault.httpStatus(500));
		this.sandbox.clearFaults();
		assertThat(this.http.getJson(tokenPath()).has("access_token")).isTrue();
	}

	@Test
	void faultsRejectNonsense() {
		assertThatIllegalArgumentException().isThrownBy(() -> Fault.errcode(0));
		assertThatIllegalArgumentException().isThrownBy(() -> Fault.httpStatus(200));
		assertThatIllegalArgumentException().isThrownBy(() -> Fault.delay(Duration.ofMillis(-1)));
		assertThat(Fault.httpStatus(502)).hasToString("Fault.httpStatus(502)");
	}

	private String tokenPath() {
		return "/cgi-bin/token?grant_type=client_credential&appid=" + this.sandbox.appId() + "&secret="
				+ this.sandbox.appSecret();
	}

}
