/**
 * The apps of a backend: {@link io.github.wechatminiapp.apps.MiniApps} gives each app id
 * its own services, for the apps a
 * {@link io.github.wechatminiapp.apps.MiniAppCredentialsRepository} knows (those of the
 * properties by default).
 */
@NullMarked
package io.github.wechatminiapp.apps;

import org.jspecify.annotations.NullMarked;
