package io.github.wechatminiapp.sample;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import io.github.wechatminiapp.apps.MiniAppReferer;
import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.opendata.OpenDataService;
import io.github.wechatminiapp.opendata.ShareInfo;
import io.github.wechatminiapp.opendata.WeRunData;
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
 * The API the mini program calls. The whole WeChat side is one injected bean, {@link PhoneNumberService}, and
 * {@link OpenDataService} for the other encrypted open data; with several mini programs, {@link MiniApps} gives
 * each app's own services, chosen at login by the app id in the {@code Referer} WeChat sends (or an
 * {@code X-WeChat-App-Id} header, for the simulator) and kept in the session.
 */
@RestController
@RequestMapping(path = "/api", produces = "application/json")
class MiniProgramController {

	/** Session attribute: the app the user logged in to; absent for the default app. */
	static final String APP_ID = "wechat.appid";

	private final PhoneNumberService phoneNumbers;

	private final OpenDataService openData;

	private final MiniApps apps;

	MiniProgramController(PhoneNumberService phoneNumbers, OpenDataService openData, MiniApps apps) {
		this.phoneNumbers = phoneNumbers;
		this.openData = openData;
		this.apps = apps;
	}

	/**
	 * The service of the app a request names: routing, not authentication. A code of another app fails at
	 * WeChat, and the session, made by one app's login, keeps using that app.
	 */
	private PhoneNumberService phoneNumbers(String appId) {
		return (appId != null) ? this.apps.phoneNumbers(appId) : this.phoneNumbers;
	}

	private OpenDataService openData(String appId) {
		return (appId != null) ? this.apps.openData(appId) : this.openData;
	}

	/**
	 * Logs the user in with the code of {@code wx.login}. WeChat's session key stays on the server, in the
	 * starter's store; the client gets this app's own session token (also sent as the {@code X-Auth-Token}
	 * response header) and its openid.
	 */
	@PostMapping("/login")
	LoginResponse login(@RequestBody(required = false) LoginRequest body, HttpServletRequest request) {
		String code = required((body != null) ? body.code() : null, "code");
		String appId = MiniAppReferer.appId(request.getHeader("Referer"))
			.orElse(request.getHeader("X-WeChat-App-Id"));
		MiniAppLogin login = phoneNumbers(appId).login(code);
		// A login starts a new session, so a token known before it (perhaps to someone else) is worthless after.
		HttpSession previous = request.getSession(false);
		if (previous != null) {
			previous.invalidate();
		}
		HttpSession session = request.getSession(true);
		session.setAttribute(LoggedInUserInterceptor.OPENID, login.openid());
		session.setAttribute(APP_ID, appId);
		return new LoginResponse(session.getId(), login.openid(), login.unionid());
	}

	/**
	 * The logged-in user's phone number, from the getPhoneNumber button: either its one-time {@code code}
	 * (base library 2.21.2 and later) or its {@code encryptedData} and {@code iv}. The openid used to find the
	 * session key comes from the server-side session, never from the request.
	 */
	@PostMapping("/phone")
	PhoneNumber phone(@RequestAttribute(LoggedInUserInterceptor.CURRENT_OPENID) String openid,
			@RequestBody(required = false) PhoneRequest body, HttpSession session) {
		PhoneNumberService phoneNumbers = phoneNumbers((String) session.getAttribute(APP_ID));
		if (body == null) {
			throw ApiRequestException.badRequest("The body must be a JSON object with code, or encryptedData and iv");
		}
		if (body.code() != null) {
			if (body.encryptedData() != null || body.iv() != null) {
				throw ApiRequestException.badRequest("Send either code or encryptedData and iv, not both");
			}
			return phoneNumbers.getPhoneNumber(openid, required(body.code(), "code"));
		}
		if (body.encryptedData() == null && body.iv() == null) {
			throw ApiRequestException.badRequest("code, or encryptedData and iv, is required");
		}
		return phoneNumbers.decryptPhoneNumber(openid, required(body.encryptedData(), "encryptedData"),
				required(body.iv(), "iv"));
	}

	/**
	 * The logged-in user's WeRun steps ({@code wx.getWeRunData}), decrypted with the user's session key and verified
	 * (padding, strict JSON, watermark app id and age) as the phone number is.
	 */
	@PostMapping("/werun")
	WeRunData weRun(@RequestAttribute(LoggedInUserInterceptor.CURRENT_OPENID) String openid,
			@RequestBody(required = false) EncryptedRequest body, HttpSession session) {
		return openData((String) session.getAttribute(APP_ID)).decrypt(openid, encryptedData(body), required(body.iv(), "iv"), WeRunData.class);
	}

	/**
	 * The group the mini program was opened from ({@code wx.getShareInfo} or {@code wx.getGroupEnterInfo}),
	 * verified as {@link #weRun} is.
	 */
	@PostMapping("/share-info")
	ShareInfo shareInfo(@RequestAttribute(LoggedInUserInterceptor.CURRENT_OPENID) String openid,
			@RequestBody(required = false) EncryptedRequest body, HttpSession session) {
		return openData((String) session.getAttribute(APP_ID)).decrypt(openid, encryptedData(body), required(body.iv(), "iv"), ShareInfo.class);
	}

	private static String encryptedData(EncryptedRequest body) {
		if (body == null) {
			throw ApiRequestException.badRequest("The body must be a JSON object with encryptedData and iv");
		}
		return required(body.encryptedData(), "encryptedData");
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

	record EncryptedRequest(String encryptedData, String iv) {
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
