/**
 * WeChat open-data cryptography: pure functions, JDK only.
 */
package io.github.wechatminiapp.crypto;
