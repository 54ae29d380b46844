/**
 * Every piece of encrypted open data a mini program sends besides the phone number (WeRun
 * steps, share and group info, user info, your own types) and the {@code rawData}
 * signature, with the checks of the phone path.
 */
@NullMarked
package io.github.wechatminiapp.opendata;

import org.jspecify.annotations.NullMarked;
