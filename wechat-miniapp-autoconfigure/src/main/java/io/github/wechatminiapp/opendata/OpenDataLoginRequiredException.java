package io.github.wechatminiapp.opendata;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.crypto.OpenDataException;

/**
 * A decryption that ends in a new login: the data fits none of the user's keys, or the
 * user's failure budget is spent. It carries the one message of every decryption failure,
 * so that from outside it says no more than an {@link OpenDataException}, and no stack
 * trace: an attacker makes these by the thousand.
 */
final class OpenDataLoginRequiredException extends LoginRequiredException {

	private static final long serialVersionUID = 1L;

	OpenDataLoginRequiredException(Reason reason) {
		super(reason, OpenDataException.MESSAGE, false);
	}

}
