/**
 * The app's access token: cached, shared, refreshed ahead of expiry.
 */
@NullMarked
package io.github.wechatminiapp.token;

import org.jspecify.annotations.NullMarked;
