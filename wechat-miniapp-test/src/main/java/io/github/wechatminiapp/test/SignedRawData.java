package io.github.wechatminiapp.test;

import java.util.Objects;

/**
 * What {@code wx.getUserInfo} gives the mini program in clear, beside the encrypted
 * payload: the user info as a JSON string and its signature,
 * {@code hex(sha1(rawData + session_key))}.
 *
 * @param rawData the user info JSON, without openId, unionId or watermark
 * @param signature 40 lowercase hex digits
 */
public record SignedRawData(String rawData, String signature) {

	/**
	 * Both parts are required: a client never receives one without the other.
	 * @param rawData the user info JSON
	 * @param signature the signature
	 */
	public SignedRawData {
		Objects.requireNonNull(rawData, "rawData");
		Objects.requireNonNull(signature, "signature");
	}

}
