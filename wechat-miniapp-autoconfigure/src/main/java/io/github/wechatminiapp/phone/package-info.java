/**
 * Login and phone numbers: the API a mini program backend uses.
 */
package io.github.wechatminiapp.phone;
