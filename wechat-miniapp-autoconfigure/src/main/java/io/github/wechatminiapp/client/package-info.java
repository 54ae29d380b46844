/**
 * The WeChat Mini Program server API over HTTP.
 */
package io.github.wechatminiapp.client;
