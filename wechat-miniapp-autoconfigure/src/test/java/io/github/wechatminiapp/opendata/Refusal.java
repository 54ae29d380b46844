package io.github.wechatminiapp.opendata;

import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.crypto.OpenDataException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refused decryption as the tests see it: what the data showed
 * ({@link OpenDataException}) or why the user must log in again
 * ({@link LoginRequiredException}); either way the one message, and no stack trace.
 *
 * @param exception what was thrown
 */
public record Refusal(WeChatMiniAppException exception) {

	/**
	 * Runs a decryption that must be refused.
	 * @param decryption the decryption
	 * @return the refusal
	 */
	public static Refusal of(Runnable decryption) {
		try {
			decryption.run();
		}
		catch (OpenDataException | LoginRequiredException ex) {
			assertThat(ex.getStackTrace()).as("an expected refusal fills no stack trace").isEmpty();
			return new Refusal(ex);
		}
		throw new AssertionError("decryption should have failed");
	}

	/**
	 * The reason, of either kind.
	 * @return an {@link OpenDataException.Reason} or a
	 * {@link LoginRequiredException.Reason}
	 */
	public Enum<?> reason() {
		return (this.exception instanceof OpenDataException refused) ? refused.reason()
				: ((LoginRequiredException) this.exception).reason();
	}

	/**
	 * Whether the user must log in again.
	 * @return true for a {@link LoginRequiredException}
	 */
	public boolean isLoginRequired() {
		return this.exception instanceof LoginRequiredException;
	}

}
