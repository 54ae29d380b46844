/**
 * The app's access token: cached, shared, refreshed ahead of expiry.
 */
package io.github.wechatminiapp.token;
