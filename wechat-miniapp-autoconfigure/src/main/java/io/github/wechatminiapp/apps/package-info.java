/**
 * Several mini programs in one backend: {@link io.github.wechatminiapp.apps.MiniApps} gives each app id its own
 * services, from properties or from a {@link io.github.wechatminiapp.apps.MiniAppCredentialsRepository}.
 */
@NullMarked
package io.github.wechatminiapp.apps;

import org.jspecify.annotations.NullMarked;
