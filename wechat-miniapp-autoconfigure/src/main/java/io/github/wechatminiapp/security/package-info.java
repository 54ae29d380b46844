/**
 * Spring Security login for mini programs:
 * {@code http.with(MiniAppLoginConfigurer.miniAppLogin())} exchanges a {@code wx.login}
 * code for an opaque bearer token and authenticates later requests as a
 * {@link io.github.wechatminiapp.security.MiniAppPrincipal}. Active only when Spring
 * Security is on the classpath.
 */
@NullMarked
package io.github.wechatminiapp.security;

import org.jspecify.annotations.NullMarked;
