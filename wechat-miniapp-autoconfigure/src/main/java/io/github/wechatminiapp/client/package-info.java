/**
 * The WeChat Mini Program server API over HTTP.
 */
@NullMarked
package io.github.wechatminiapp.client;

import org.jspecify.annotations.NullMarked;
