/**
 * The starter's exceptions as HTTP answers:
 * {@link io.github.wechatminiapp.web.MiniAppErrorStatus} is the one table from exception
 * to status, short error code and {@code Retry-After}, used by the Spring Security
 * filters and by
 * {@link io.github.wechatminiapp.web.MiniAppProblemDetailsExceptionHandler}, which
 * answers the exceptions escaping a controller as RFC 9457 problem details.
 */
@NullMarked
package io.github.wechatminiapp.web;

import org.jspecify.annotations.NullMarked;
