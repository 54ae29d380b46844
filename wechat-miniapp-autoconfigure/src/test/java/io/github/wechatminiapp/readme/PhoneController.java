package io.github.wechatminiapp.readme;

// Exactly the README's Quick start (README.md), only the package line added: QuickStartIT runs it.

import java.util.Map;

import io.github.wechatminiapp.phone.PhoneNumber;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.security.MiniAppPrincipal;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class PhoneController {

	private final PhoneNumberService phoneNumbers;

	PhoneController(PhoneNumberService phoneNumbers) {
		this.phoneNumbers = phoneNumbers;
	}

	@PostMapping("/api/phone")
	PhoneNumber phone(@AuthenticationPrincipal MiniAppPrincipal user, @RequestBody Map<String, String> body) {
		return this.phoneNumbers.getPhoneNumber(user.openid(), body.get("code")); // the
																					// button's
																					// detail.code,
																					// bound
																					// to
																					// this
																					// user
		// or: phoneNumbers.decryptPhoneNumber(user.openid(), body.get("encryptedData"),
		// body.get("iv"));
	}

}
