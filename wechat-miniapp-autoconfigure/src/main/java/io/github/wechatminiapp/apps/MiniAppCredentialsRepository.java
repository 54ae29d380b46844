package io.github.wechatminiapp.apps;

import java.util.Optional;

/**
 * Where apps come from: by default an {@link InMemoryMiniAppCredentialsRepository} of the
 * properties; or the application's own, e.g. a table the vendor's admin page writes,
 * alone or composed with the properties' one in a
 * {@link CompositeMiniAppCredentialsRepository}. The apps a repository lists (as an
 * {@link Iterable}) are built at startup; any other is asked for once per app id on first
 * use (and again after {@link MiniApps#evict(String)}); answers are cached, unknown ids
 * briefly. Only well formed app ids are asked for.
 */
@FunctionalInterface
public interface MiniAppCredentialsRepository {

	/**
	 * The credentials of an app.
	 * @param appId a well-formed app id
	 * @return the app's credentials, whose app id must be the one asked for; empty when
	 * the app is unknown
	 */
	Optional<MiniAppCredentials> findByAppId(String appId);

}
