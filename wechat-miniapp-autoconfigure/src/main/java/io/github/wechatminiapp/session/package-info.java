/**
 * Server-side storage of users' session keys.
 */
@NullMarked
package io.github.wechatminiapp.session;

import org.jspecify.annotations.NullMarked;
