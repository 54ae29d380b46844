/**
 * WeChat Mini Program server-side login and phone numbers for Spring Boot, and the
 * exceptions every part of the starter throws, one type per decision the caller makes:
 * <ul>
 * <li>{@link io.github.wechatminiapp.WeChatMiniAppException}: the root, unchecked;</li>
 * <li>{@link io.github.wechatminiapp.LoginRequiredException}: the user must
 * {@code wx.login} again;</li>
 * <li>{@link io.github.wechatminiapp.InvalidInputException}: the client sent something
 * malformed (HTTP 400);</li>
 * <li>{@link io.github.wechatminiapp.RetryLaterException}, with
 * {@link io.github.wechatminiapp.RetryLaterException#retryAfter() retryAfter()}: WeChat
 * unreachable, no access token now, a store down
 * ({@link io.github.wechatminiapp.StoreAccessException}) (HTTP 503);</li>
 * <li>{@link io.github.wechatminiapp.client.WeChatApiException}: WeChat refused, with its
 * errcode, errmsg, rid and a
 * {@link io.github.wechatminiapp.client.WeChatApiException.Category category} saying what
 * to do.</li>
 * </ul>
 * <p>
 * Names follow one rule across the project: {@code WeChat*} for what speaks WeChat's wire
 * protocol ({@code WeChatMiniAppClient}, {@code WeChatApiException}, the test module's
 * {@code WeChatSandbox} and {@code WeChatEndpoint}), {@code MiniApp*} for the application
 * side ({@code MiniApps}, {@code MiniAppLogin}, {@code MiniAppBearerTokenService}), and
 * no prefix for domain services and values ({@code PhoneNumberService},
 * {@code PhoneNumber}, {@code SessionKey}, the test module's {@code WeRunDay}). Where a
 * user and the data of that user are both parameters, the user's openid comes first.
 */
@NullMarked
package io.github.wechatminiapp;

import org.jspecify.annotations.NullMarked;
