/**
 * Auto-configuration of the WeChat Mini Program starter.
 */
@NullMarked
package io.github.wechatminiapp.autoconfigure;

import org.jspecify.annotations.NullMarked;
