package io.github.wechatminiapp.autoconfigure;

import java.util.stream.Stream;

import io.github.wechatminiapp.apps.MiniApp;
import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.token.ObservableAccessTokenProvider;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;

/**
 * The access token health of each app, by app id, for the apps built so far: a probe
 * neither loads an app nor calls WeChat. Each entry is what
 * {@link WeChatMiniAppHealthIndicator} says of that app's token alone; an app whose
 * provider does not tell its state ({@link ObservableAccessTokenProvider}) has no entry.
 * One contributor for every app, the single app included.
 */
final class WeChatMiniAppsHealthContributor implements CompositeHealthContributor {

	private final MiniApps apps;

	WeChatMiniAppsHealthContributor(MiniApps apps) {
		this.apps = apps;
	}

	@Override
	public HealthContributor getContributor(String name) {
		return this.apps.loadedApp(name).map(WeChatMiniAppsHealthContributor::indicator).orElse(null);
	}

	@Override
	public Stream<HealthContributors.Entry> stream() {
		return this.apps.loadedApps()
			.stream()
			.filter((app) -> app.accessTokens() instanceof ObservableAccessTokenProvider)
			.map((app) -> new HealthContributors.Entry(app.appId(), indicator(app)));
	}

	private static HealthContributor indicator(MiniApp app) {
		return (app.accessTokens() instanceof ObservableAccessTokenProvider accessTokens)
				? new WeChatMiniAppHealthIndicator(accessTokens) : null;
	}

}
