package io.github.wechatminiapp.sample;

import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.opendata.OpenDataService;
import io.github.wechatminiapp.opendata.ShareInfo;
import io.github.wechatminiapp.opendata.WeRunData;
import io.github.wechatminiapp.phone.PhoneNumber;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.security.MiniAppPrincipal;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The API the mini program calls. The whole WeChat side is one injected bean,
 * {@link MiniApps}: each app's {@link PhoneNumberService}, and {@link OpenDataService}
 * for the other encrypted open data, however many mini programs this backend serves. The
 * login itself, {@code POST /api/login}, is the starter's {@code miniAppLogin()}
 * ({@link SecurityConfiguration}): it chooses the app by the {@code Referer} WeChat sends
 * (or an {@code X-WeChat-App-Id} header, for the simulator), and every later request is
 * its user, {@link MiniAppPrincipal}, who names that app and the openid.
 */
@RestController
@RequestMapping(path = "/api", produces = "application/json")
class MiniProgramController {

	private final MiniApps apps;

	MiniProgramController(MiniApps apps) {
		this.apps = apps;
	}

	/**
	 * The service of the app the user logged in to: the token, issued by that app's
	 * login, names it.
	 * @param user the logged-in user, whose principal names the app
	 * @return the phone number service of that app
	 */
	private PhoneNumberService phoneNumbers(MiniAppPrincipal user) {
		return this.apps.phoneNumbers(user.appId());
	}

	private OpenDataService openData(MiniAppPrincipal user) {
		return this.apps.openData(user.appId());
	}

	/**
	 * The logged-in user's phone number, from the getPhoneNumber button: either its
	 * one-time {@code code} (base library 2.21.2 and later) or its {@code encryptedData}
	 * and {@code iv}. The openid used to find the session key comes from the bearer
	 * token's record on the server, never from the request.
	 * @param user the logged-in user, from the bearer token
	 * @param body the request, {@code code} or {@code encryptedData} and {@code iv};
	 * {@code null} when the request has no body, a bad request
	 * @return the user's phone number, verified
	 */
	@PostMapping("/phone")
	PhoneNumber phone(@AuthenticationPrincipal MiniAppPrincipal user,
			@RequestBody(required = false) PhoneRequest body) {
		PhoneNumberService phoneNumbers = phoneNumbers(user);
		if (body == null) {
			throw ApiRequestException.badRequest("The body must be a JSON object with code, or encryptedData and iv");
		}
		if (body.code() != null) {
			if (body.encryptedData() != null || body.iv() != null) {
				throw ApiRequestException.badRequest("Send either code or encryptedData and iv, not both");
			}
			return phoneNumbers.getPhoneNumber(user.openid(), required(body.code(), "code"));
		}
		if (body.encryptedData() == null && body.iv() == null) {
			throw ApiRequestException.badRequest("code, or encryptedData and iv, is required");
		}
		return phoneNumbers.decryptPhoneNumber(user.openid(), required(body.encryptedData(), "encryptedData"),
				required(body.iv(), "iv"));
	}

	/**
	 * The logged-in user's WeRun steps ({@code wx.getWeRunData}), decrypted with the
	 * user's session key and verified (padding, strict JSON, watermark app id and age) as
	 * the phone number is.
	 * @param user the logged-in user, from the bearer token
	 * @param body the {@code encryptedData} and {@code iv} of {@code wx.getWeRunData}
	 * @return the user's daily steps
	 */
	@PostMapping("/werun")
	WeRunData weRun(@AuthenticationPrincipal MiniAppPrincipal user,
			@RequestBody(required = false) EncryptedRequest body) {
		return openData(user).decrypt(user.openid(), encryptedData(body), required(body.iv(), "iv"), WeRunData.class);
	}

	/**
	 * The group the mini program was opened from ({@code wx.getShareInfo} or
	 * {@code wx.getGroupEnterInfo}), verified as {@link #weRun} is.
	 * @param user the logged-in user, from the bearer token
	 * @param body the {@code encryptedData} and {@code iv} of {@code wx.getShareInfo} or
	 * {@code wx.getGroupEnterInfo}
	 * @return the group's ids, as the mini program received them
	 */
	@PostMapping("/share-info")
	ShareInfo shareInfo(@AuthenticationPrincipal MiniAppPrincipal user,
			@RequestBody(required = false) EncryptedRequest body) {
		return openData(user).decrypt(user.openid(), encryptedData(body), required(body.iv(), "iv"), ShareInfo.class);
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

	record PhoneRequest(String code, String encryptedData, String iv) {
	}

	record EncryptedRequest(String encryptedData, String iv) {
	}

}
