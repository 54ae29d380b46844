/**
 * Login and phone numbers: the API a mini program backend uses.
 */
@NullMarked
package io.github.wechatminiapp.phone;

import org.jspecify.annotations.NullMarked;
