/**
 * The WeChat Mini Program server API over HTTP:
 * {@link io.github.wechatminiapp.client.WeChatMiniAppClient}, its answers, and the
 * catalogue of WeChat's errcodes ({@link io.github.wechatminiapp.client.WeChatErrorCode})
 * with what each asks of the caller.
 */
@NullMarked
package io.github.wechatminiapp.client;

import org.jspecify.annotations.NullMarked;
