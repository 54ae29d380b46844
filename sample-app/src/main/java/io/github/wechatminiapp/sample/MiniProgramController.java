package io.github.wechatminiapp.sample;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import io.github.wechatminiapp.phone.MiniAppLogin;
import io.github.wechatminiapp.phone.PhoneNumber;
import io.github.wechatminiapp.phone.PhoneNumberService;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The API the mini program calls. The whole WeChat side is one injected bean, {@link PhoneNumberService}.
 */
@RestController
@RequestMapping(path = "/api", produces = "application/json")
class MiniProgramController {

	private final PhoneNumberService phoneNumbers;

	MiniProgramController(PhoneNumberService phoneNumbers) {
		this.phoneNumbers = phoneNumbers;
	}

	/**
	 * Logs the user in with the code of {@code wx.login}. WeChat's session key stays on the server, in the
	 * starter's store; the client gets this app's own session token (also sent as the {@code X-Auth-Token}
	 * response header) and its openid.
	 */
	@PostMapping("/login")
	LoginResponse login(@RequestBody(required = false) LoginRequest body, HttpServletRequest request) {
		String code = required((body != null) ? body.code() : null, "code");
		MiniAppLogin login = this.phoneNumbers.login(code);
		// A login starts a new session, so a token known before it (perhaps to someone else) is worthless after.
		HttpSession previous = request.getSession(false);
		if (previous != null) {
			previous.invalidate();
		}
		HttpSession session = request.getSession(true);
		session.setAttribute(LoggedInUserInterceptor.OPENID, login.openid());
		return new LoginResponse(session.getId(), login.openid(), login.unionid());
	}

	/**
	 * The logged-in user's phone number, from the getPhoneNumber button: either its one-time {@code code}
	 * (base library 2.21.2 and later) or its {@code encryptedData} and {@code iv}. The openid used to find the
	 * session key comes from the server-side session, never from the request.
	 */
	@PostMapping("/phone")
	PhoneNumber phone(@RequestAttribute(LoggedInUserInterceptor.CURRENT_OPENID) String openid,
			@RequestBody(required = false) PhoneRequest body) {
		if (body == null) {
			throw ApiRequestException.badRequest("The body must be a JSON object with code, or encryptedData and iv");
		}
		if (body.code() != null) {
			if (body.encryptedData() != null || body.iv() != null) {
				throw ApiRequestException.badRequest("Send either code or encryptedData and iv, not both");
			}
			return this.phoneNumbers.getPhoneNumber(openid, required(body.code(), "code"));
		}
		if (body.encryptedData() == null && body.iv() == null) {
			throw ApiRequestException.badRequest("code, or encryptedData and iv, is required");
		}
		return this.phoneNumbers.decryptPhoneNumber(openid, required(body.encryptedData(), "encryptedData"),
				required(body.iv(), "iv"));
	}

	private static String required(String value, String field) {
		if (value == null || value.isBlank()) {
			throw ApiRequestException.badRequest(field + " is required");
		}
		return value;
	}

	record LoginRequest(String code) {
	}

	record PhoneRequest(String code, String encryptedData, String iv) {
	}

	/**
	 * @param token this app's session token, to send back in the {@code X-Auth-Token} header
	 * @param openid the user's openid
	 * @param unionid the user's unionid, when WeChat gave one
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record LoginResponse(String token, String openid, String unionid) {
	}

}
