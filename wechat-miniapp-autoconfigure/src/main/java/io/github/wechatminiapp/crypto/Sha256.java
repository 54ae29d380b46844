package io.github.wechatminiapp.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256, the one digest the library names things with without storing or logging them:
 * session-key fingerprints, bearer-token store keys, user tags in log lines.
 */
public final class Sha256 {

	private Sha256() {
	}

	/**
	 * The SHA-256 of the parts, one after another.
	 * @param parts the bytes to digest, in order
	 * @return the 32-byte digest
	 */
	public static byte[] digest(byte[]... parts) {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
		for (byte[] part : parts) {
			digest.update(part);
		}
		return digest.digest();
	}

}
