package io.github.wechatminiapp.autoconfigure;

import java.time.Clock;
import java.util.stream.Stream;

import io.github.wechatminiapp.apps.MiniApp;
import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.token.CachingAccessTokenProvider;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;

/**
 * The access token health of each app, by app id, for the apps built so far: a probe neither loads an app nor
 * calls WeChat. Each entry is what {@link WeChatMiniAppHealthIndicator} says of that app's token alone.
 */
final class WeChatMiniAppsHealthContributor implements CompositeHealthContributor {

	private final MiniApps apps;

	private final Clock clock;

	WeChatMiniAppsHealthContributor(MiniApps apps, Clock clock) {
		this.apps = apps;
		this.clock = clock;
	}

	@Override
	public HealthContributor getContributor(String name) {
		return this.apps.loadedApp(name).map(this::indicator).orElse(null);
	}

	@Override
	public Stream<HealthContributors.Entry> stream() {
		return this.apps.loadedApps()
			.stream()
			.filter((app) -> app.accessTokens() instanceof CachingAccessTokenProvider)
			.map((app) -> new HealthContributors.Entry(app.appId(), indicator(app)));
	}

	private HealthContributor indicator(MiniApp app) {
		return (app.accessTokens() instanceof CachingAccessTokenProvider accessTokens)
				? new WeChatMiniAppHealthIndicator(accessTokens, this.clock) : null;
	}

}
