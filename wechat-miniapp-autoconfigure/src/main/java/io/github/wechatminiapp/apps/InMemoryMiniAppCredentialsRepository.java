package io.github.wechatminiapp.apps;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.util.Assert;

/**
 * A fixed set of apps, such as those of the {@code wechat.miniapp.*} properties: the
 * repository the auto-configuration defines unless the application defines its own.
 * {@link MiniApps} builds every app it lists at startup and never drops them.
 */
public final class InMemoryMiniAppCredentialsRepository
		implements MiniAppCredentialsRepository, Iterable<MiniAppCredentials> {

	private final Map<String, MiniAppCredentials> apps;

	/**
	 * Holds the given apps.
	 * @param apps the apps, each app id once
	 */
	public InMemoryMiniAppCredentialsRepository(List<MiniAppCredentials> apps) {
		Assert.notNull(apps, "apps must not be null");
		Map<String, MiniAppCredentials> byId = new LinkedHashMap<>();
		for (MiniAppCredentials app : apps) {
			Assert.notNull(app, "apps must not contain null");
			Assert.isTrue(byId.putIfAbsent(app.appId(), app) == null, () -> "app " + app.appId() + " given twice");
		}
		this.apps = Collections.unmodifiableMap(byId);
	}

	@Override
	public Optional<MiniAppCredentials> findByAppId(String appId) {
		return Optional.ofNullable(this.apps.get(appId));
	}

	/**
	 * The apps, in the order given.
	 * @return an iterator over them
	 */
	@Override
	public Iterator<MiniAppCredentials> iterator() {
		return this.apps.values().iterator();
	}

	@Override
	public String toString() {
		return "InMemoryMiniAppCredentialsRepository" + this.apps.keySet();
	}

}
