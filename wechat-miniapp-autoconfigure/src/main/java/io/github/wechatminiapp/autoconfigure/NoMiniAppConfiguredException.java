package io.github.wechatminiapp.autoconfigure;

/**
 * Neither the properties nor a {@code MiniAppCredentialsRepository} bean name any app;
 * explained to the user by {@link NoMiniAppConfiguredFailureAnalyzer}.
 */
final class NoMiniAppConfiguredException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	NoMiniAppConfiguredException() {
		super("No mini program is configured: wechat.miniapp.app-id and wechat.miniapp.apps are unset and there is no "
				+ "MiniAppCredentialsRepository bean");
	}

}
