/**
 * Server-side storage of users' session keys, and the
 * {@link io.github.wechatminiapp.session.SessionKeyResetListener} told when one is reset.
 */
@NullMarked
package io.github.wechatminiapp.session;

import org.jspecify.annotations.NullMarked;
