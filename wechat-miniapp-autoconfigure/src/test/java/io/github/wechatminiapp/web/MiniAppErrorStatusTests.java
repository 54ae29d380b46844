package io.github.wechatminiapp.web;

import java.time.Duration;
import java.util.List;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.RetryLaterException;
import io.github.wechatminiapp.StoreAccessException;
import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.apps.UnknownMiniAppException;
import io.github.wechatminiapp.client.WeChatApi;
import io.github.wechatminiapp.client.WeChatApiException;
import io.github.wechatminiapp.client.WeChatCommunicationException;
import io.github.wechatminiapp.crypto.OpenDataException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The one table from the starter's exceptions to HTTP answers, row by row.
 */
class MiniAppErrorStatusTests {

	@Test
	void loginRequiredIs401() {
		assertRow(MiniAppErrorStatus.of(new LoginRequiredException(LoginRequiredException.Reason.NO_SESSION_KEY, "x")),
				401, "login_required", null);
	}

	@Test
	void aDecryptionEndedForItsKeyAnswersLikeAnyRefusedPayload() {
		MiniAppErrorStatus refused = MiniAppErrorStatus.of(new OpenDataException(OpenDataException.Reason.BAD_PADDING));
		for (LoginRequiredException.Reason reason : List.of(LoginRequiredException.Reason.UNKNOWN_SESSION_KEY,
				LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED)) {
			MiniAppErrorStatus status = MiniAppErrorStatus.of(new LoginRequiredException(reason, "x"));
			assertThat(status.status()).isEqualTo(refused.status());
			assertThat(status.error()).isEqualTo(refused.error());
			assertThat(status.detail()).isEqualTo(refused.detail());
		}
	}

	@Test
	void theClientsFaultsAre400() {
		assertRow(MiniAppErrorStatus.of(new InvalidInputException("x")), 400, "invalid_request", null);
		assertRow(MiniAppErrorStatus.of(new UnknownMiniAppException("x")), 400, "invalid_request", null);
		assertRow(MiniAppErrorStatus.of(refusal(40029)), 400, "refused", null);
		assertRow(MiniAppErrorStatus.of(refusal(40003)), 400, "refused", null);
	}

	@Test
	void refusedOpenDataIs422WhateverTheReason() {
		// Not 400: a container ends keep-alive after a 400, so each refusal would cost a
		// new connection.
		for (OpenDataException.Reason reason : OpenDataException.Reason.values()) {
			assertRow(MiniAppErrorStatus.of(new OpenDataException(reason)), 422, "invalid_data", null);
		}
	}

	@Test
	void aRefusedLoginCodeIs401InvalidCode() {
		assertRow(MiniAppErrorStatus.ofLogin(refusal(40029)), 401, "invalid_code", null);
		assertRow(MiniAppErrorStatus.ofLogin(refusal(40163)), 401, "invalid_code", null);
		// Only the code's refusal changes: the rest of the table is the same for a login.
		assertRow(MiniAppErrorStatus.ofLogin(new InvalidInputException("x")), 400, "invalid_request", null);
		assertRow(MiniAppErrorStatus.ofLogin(refusal(45011)), 429, "rate_limited", "60");
		// WeChat unreachable or busy: the same answer, but the sentence asks for a new
		// code.
		MiniAppErrorStatus unreachable = MiniAppErrorStatus.ofLogin(new WeChatCommunicationException(
				WeChatApi.JSCODE2SESSION, WeChatCommunicationException.Kind.TIMEOUT, "timed out"));
		assertRow(unreachable, 503, "wechat_unavailable", "5");
		assertThat(unreachable.detail()).contains("wx.login");
		MiniAppErrorStatus busy = MiniAppErrorStatus.ofLogin(refusal(-1));
		assertRow(busy, 503, "wechat_busy", "5");
		assertThat(busy.detail()).contains("wx.login");
		assertThat(MiniAppErrorStatus.of(refusal(-1)).detail()).doesNotContain("wx.login");
		assertThat(MiniAppErrorStatus.ofLogin(new StoreAccessException("redis", "x", new IllegalStateException()))
			.detail()).doesNotContain("wx.login");
	}

	@Test
	void frequencyLimitIs429WithRetryAfterAndHighRiskIs403() {
		assertRow(MiniAppErrorStatus.of(refusal(45011)), 429, "rate_limited", "60");
		assertThat(MiniAppErrorStatus.FREQUENCY_LIMIT_RETRY_AFTER).isEqualTo(Duration.ofSeconds(60));
		assertRow(MiniAppErrorStatus.of(refusal(40226)), 403, "login_blocked", null);
		assertThat(MiniAppErrorStatus.isFrequencyLimit(refusal(45011))).isTrue();
		assertThat(MiniAppErrorStatus.isFrequencyLimit(refusal(40226))).isFalse();
		assertThat(MiniAppErrorStatus.isFrequencyLimit(new InvalidInputException("x"))).isFalse();
	}

	@Test
	void retryLaterAndConfigurationRefusalsAre503WithRetryAfter() {
		assertRow(MiniAppErrorStatus.of(new RetryLaterException("x", Duration.ofSeconds(7), null)), 503, "retry_later",
				"7");
		assertRow(MiniAppErrorStatus.of(new RetryLaterException("x", Duration.ofMillis(1500), null)), 503,
				"retry_later", "2");
		assertRow(MiniAppErrorStatus.of(new StoreAccessException("redis", "x", new IllegalStateException())), 503,
				"store_unavailable", "5");
		assertRow(MiniAppErrorStatus.of(new WeChatCommunicationException(WeChatApi.JSCODE2SESSION,
				WeChatCommunicationException.Kind.TIMEOUT, "timed out")), 503, "wechat_unavailable", "5");
		assertRow(MiniAppErrorStatus.of(refusal(-1)), 503, "wechat_busy", "5");
		assertRow(MiniAppErrorStatus.of(refusal(40125)), 503, "misconfigured", "60");
		assertRow(MiniAppErrorStatus.of(refusal(40164)), 503, "misconfigured", "60");
	}

	@Test
	void unknownErrcodesAre502AndTheRestIs500() {
		assertRow(MiniAppErrorStatus.of(refusal(99999)), 502, "wechat_error", null);
		assertRow(MiniAppErrorStatus.of(refusal(42001)), 502, "wechat_error", null);
		assertRow(MiniAppErrorStatus.of(new WeChatMiniAppException("x")), 500, "internal_error", null);
		assertRow(MiniAppErrorStatus.of(new IllegalStateException("x")), 500, "internal_error", null);
		assertThat(MiniAppErrorStatus.isMapped(new IllegalStateException("x"))).isFalse();
		assertThat(MiniAppErrorStatus.isMapped(new InvalidInputException("x"))).isTrue();
	}

	@Test
	void theSentenceIsFixedNeverTheExceptionsMessage() {
		for (Throwable exception : new Throwable[] { new InvalidInputException("SECRET-MARKER"),
				new WeChatApiException(WeChatApi.JSCODE2SESSION, 40029, "SECRET-MARKER"),
				new WeChatApiException(WeChatApi.JSCODE2SESSION, 99999, "SECRET-MARKER"),
				new RetryLaterException("SECRET-MARKER", Duration.ofSeconds(1), null),
				new IllegalStateException("SECRET-MARKER") }) {
			MiniAppErrorStatus status = MiniAppErrorStatus.of(exception);
			assertThat(status.detail()).isNotBlank().doesNotContain("SECRET-MARKER");
			assertThat(status.toString())
				.isEqualTo("MiniAppErrorStatus[" + status.status() + " " + status.error() + "]");
		}
	}

	@Test
	void aFiltersOwnAnswerIsChecked() {
		MiniAppErrorStatus own = MiniAppErrorStatus.of(413, "too_large", "Too large", null);
		assertRow(own, 413, "too_large", null);
		assertThat(own.detail()).isEqualTo("Too large");
		assertRow(MiniAppErrorStatus.of(599, "x", "y", Duration.ofSeconds(3)), 599, "x", "3");
		assertThatIllegalArgumentException().isThrownBy(() -> MiniAppErrorStatus.of(399, "x", "y", null));
		assertThatIllegalArgumentException().isThrownBy(() -> MiniAppErrorStatus.of(600, "x", "y", null));
		assertThatIllegalArgumentException().isThrownBy(() -> MiniAppErrorStatus.of(400, " ", "y", null));
		assertThatIllegalArgumentException().isThrownBy(() -> MiniAppErrorStatus.of(400, "x", "", null));
		assertThat(MiniAppErrorStatus.of(400, "x", "y", Duration.ofMillis(1)).retryAfterHeader()).contains("1");
		assertThat(MiniAppErrorStatus.of(400, "x", "y", Duration.ZERO).retryAfterHeader()).contains("1");
		assertThat(MiniAppErrorStatus.of(400, "x", "y", Duration.ofMillis(1001)).retryAfterHeader()).contains("2");
		assertThat(MiniAppErrorStatus.of(400, "x", "y", Duration.ofMillis(2000)).retryAfterHeader()).contains("2");
	}

	private static WeChatApiException refusal(int errcode) {
		return new WeChatApiException(WeChatApi.JSCODE2SESSION, errcode, "errmsg");
	}

	private static void assertRow(MiniAppErrorStatus status, int code, String error, String retryAfter) {
		assertThat(status.status()).isEqualTo(code);
		assertThat(status.error()).isEqualTo(error);
		assertThat(status.detail()).isNotBlank();
		assertThat(status.retryAfterHeader().orElse(null)).isEqualTo(retryAfter);
		assertThat(status.retryAfter().isPresent()).isEqualTo(retryAfter != null);
	}

}
