/**
 * A mini program backend built on one bean, {@link io.github.wechatminiapp.phone.PhoneNumberService}.
 */
package io.github.wechatminiapp.sample;
