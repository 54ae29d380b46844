/**
 * WeChat Mini Program server-side login and phone numbers for Spring Boot.
 */
@NullMarked
package io.github.wechatminiapp;

import org.jspecify.annotations.NullMarked;
