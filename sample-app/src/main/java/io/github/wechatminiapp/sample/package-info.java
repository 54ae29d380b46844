/**
 * A mini program backend built on one bean,
 * {@link io.github.wechatminiapp.apps.MiniApps}.
 */
package io.github.wechatminiapp.sample;
