/**
 * WeChat open-data cryptography: pure functions, JDK only.
 */
@NullMarked
package io.github.wechatminiapp.crypto;

import org.jspecify.annotations.NullMarked;
