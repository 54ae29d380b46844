package io.github.wechatminiapp.test;

import java.util.Objects;

/**
 * Open data as the mini program receives it, for instance in the {@code getPhoneNumber}
 * button event.
 *
 * @param encryptedData the AES-128-CBC ciphertext, standard Base64
 * @param iv the 16-byte initialisation vector, standard Base64
 */
public record EncryptedData(String encryptedData, String iv) {

	/**
	 * Both parts are required: a client never receives one without the other.
	 * @param encryptedData the ciphertext, standard Base64
	 * @param iv the initialisation vector, standard Base64
	 */
	public EncryptedData {
		Objects.requireNonNull(encryptedData, "encryptedData");
		Objects.requireNonNull(iv, "iv");
	}

}
