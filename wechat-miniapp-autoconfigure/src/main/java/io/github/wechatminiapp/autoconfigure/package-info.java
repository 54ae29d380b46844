/**
 * Auto-configuration of the WeChat Mini Program starter.
 */
package io.github.wechatminiapp.autoconfigure;
