package io.github.wechatminiapp.test;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestCountTests {

	private final WeChatSandbox sandbox = WeChatSandbox.start();

	private final SandboxHttp http = new SandboxHttp(this.sandbox);

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	@Test
	void countsRequestsPerApi() {
		WeChatSandboxUser user = this.sandbox.createUser();
		this.http.jscode2session(this.sandbox.loginCode(user));
		this.http.jscode2session("unknown");
		String token = this.http.token();
		this.http.stableToken(false);
		this.http.phoneNumber(token, this.sandbox.phoneCode(user));
		this.http.checkSession(token, user.openid(), "00");
		this.http.resetSessionKey(token, user.openid(), "00");
		this.http.get("/not-an-api");
		assertThat(this.sandbox.requestCount(WeChatEndpoint.JSCODE2SESSION)).isEqualTo(2);
		assertThat(this.sandbox.requestCount(WeChatEndpoint.TOKEN)).isEqualTo(1);
		assertThat(this.sandbox.requestCount(WeChatEndpoint.STABLE_TOKEN)).isEqualTo(1);
		assertThat(this.sandbox.requestCount(WeChatEndpoint.GET_USER_PHONE_NUMBER)).isEqualTo(1);
		assertThat(this.sandbox.requestCount(WeChatEndpoint.CHECK_SESSION)).isEqualTo(1);
		assertThat(this.sandbox.requestCount(WeChatEndpoint.RESET_USER_SESSION_KEY)).isEqualTo(1);
		assertThat(this.sandbox.totalRequestCount()).isEqualTo(7);
	}

	@Test
	void receivedJsCodesKeepsOrderAndRepeatsIncludingFaultedRequests() {
		WeChatSandboxUser user = this.sandbox.createUser();
		String first = this.sandbox.loginCode(user);
		String second = this.sandbox.loginCode(user);
		this.sandbox.enqueueFault(WeChatEndpoint.JSCODE2SESSION, Fault.httpStatus(500));
		this.http.jscode2session(first);
		this.http.jscode2session(first);
		this.http.jscode2session(second);
		this.http.jscode2session(first);
		assertThat(this.sandbox.receivedJsCodes()).containsExactly(first, first, second, first);
		assertThat(this.sandbox.receivedJsCodes()).isUnmodifiable();
	}

	@Test
	void resetCountsStartsOver() {
		this.http.token();
		this.http.jscode2session("abc");
		this.sandbox.resetCounts();
		assertThat(this.sandbox.totalRequestCount()).isZero();
		assertThat(this.sandbox.requestCount(WeChatEndpoint.TOKEN)).isZero();
		assertThat(this.sandbox.receivedJsCodes()).isEmpty();
		this.http.token();
		assertThat(this.sandbox.requestCount(WeChatEndpoint.TOKEN)).isEqualTo(1);
	}

	@Test
	void controlEndpointsAreNotCounted() {
		String openid = SandboxHttp.json(this.http.post("/sandbox/users", null)).get("openid").asString();
		this.http.post("/sandbox/users/" + openid + "/login-code", null);
		assertThat(this.sandbox.totalRequestCount()).isZero();
	}

}
