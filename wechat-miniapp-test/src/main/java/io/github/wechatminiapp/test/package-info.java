/**
 * {@code WeChatSandbox}: a real HTTP server on the loopback interface that speaks the
 * WeChat Mini Program server API ({@code jscode2session}, access tokens, phone numbers,
 * session-key signatures), plus the client side of a mini program (login codes, phone
 * codes, encrypted phone numbers), for tests and demos.
 *
 * <p>
 * Start one with {@link io.github.wechatminiapp.test.WeChatSandbox#start()}, or in JUnit
 * 5 with {@link io.github.wechatminiapp.test.WeChatSandboxExtension}.
 */
@NullMarked
package io.github.wechatminiapp.test;

import org.jspecify.annotations.NullMarked;
