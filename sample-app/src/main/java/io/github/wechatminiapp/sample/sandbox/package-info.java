/**
 * Sandbox mode: the embedded WeChat sandbox used when no credentials are configured.
 */
package io.github.wechatminiapp.sample.sandbox;
