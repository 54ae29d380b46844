/**
 * Server-side storage of users' session keys.
 */
package io.github.wechatminiapp.session;
