package io.github.wechatminiapp.security;

import io.github.wechatminiapp.phone.PhoneNumberService;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Chooses the {@link PhoneNumberService} a login request is exchanged with: the single app's service by default;
 * with several mini programs, the one the request names (for example by a header or a path segment).
 */
@FunctionalInterface
public interface PhoneNumberServiceResolver {

	/**
	 * The service of the app the request logs in to.
	 * @param request the login request
	 * @return the app's service
	 * @throws io.github.wechatminiapp.InvalidInputException if the request names no known app (answered 400)
	 */
	PhoneNumberService resolve(HttpServletRequest request);

	/**
	 * Always the same service: the single-app case.
	 * @param service the service
	 * @return a resolver that answers it for every request
	 */
	static PhoneNumberServiceResolver of(PhoneNumberService service) {
		return (request) -> service;
	}

}
