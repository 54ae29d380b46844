package io.github.wechatminiapp.test;

/**
 * How the sandbox spoils its next answer in API security mode, to test that a client
 * refuses it. Each applies to one answer; see
 * {@link WeChatSandboxApiSecurity#tamperNextAnswer(ApiSecurityTampering)}.
 */
public enum ApiSecurityTampering {

	/** A byte of {@code Wechatmp-Signature} flipped. */
	BAD_SIGNATURE,

	/** The body altered after signing. */
	ALTERED_BODY,

	/** Sealed and signed correctly, ten minutes ago. */
	STALE_TIMESTAMP,

	/** Signed with a platform key whose serial the app never downloaded. */
	FOREIGN_SERIAL,

	/** {@code Wechatmp-Appid} names another app. */
	FOREIGN_APPID,

	/** Signed correctly over an envelope sealed with another symmetric key. */
	WRONG_SYMMETRIC_KEY,

	/** Signed and sealed correctly, but the decrypted {@code _appid} is another app's. */
	PAYLOAD_APPID,

	/**
	 * Signed and sealed correctly, but the decrypted {@code _timestamp} differs from the
	 * header.
	 */
	PAYLOAD_TIMESTAMP,

	/** The answer in plaintext, unsigned, as outside API security mode. */
	PLAINTEXT

}
