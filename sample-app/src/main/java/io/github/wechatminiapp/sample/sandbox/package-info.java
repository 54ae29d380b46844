/**
 * Sandbox mode: the embedded WeChat sandbox, used only with the {@code sandbox} profile.
 */
package io.github.wechatminiapp.sample.sandbox;
