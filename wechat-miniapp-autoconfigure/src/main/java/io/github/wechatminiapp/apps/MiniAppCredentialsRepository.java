package io.github.wechatminiapp.apps;

import java.util.Optional;

/**
 * Where apps added at runtime are found, e.g. a table the vendor's admin page writes. Asked once per app id on
 * first use (and again after {@link MiniApps#evict(String)}); answers are cached, unknown ids briefly. Only well
 * formed app ids are asked for.
 */
@FunctionalInterface
public interface MiniAppCredentialsRepository {

	/**
	 * The credentials of an app.
	 * @param appId a well-formed app id
	 * @return the app's credentials, whose app id must be the one asked for; empty when the app is unknown
	 */
	Optional<MiniAppCredentials> findByAppId(String appId);

}
