/**
 * WeChat Mini Program server-side login and phone numbers for Spring Boot.
 */
package io.github.wechatminiapp;
