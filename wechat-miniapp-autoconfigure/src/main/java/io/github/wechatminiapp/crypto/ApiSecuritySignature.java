package io.github.wechatminiapp.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;

/**
 * The signatures of WeChat's API security mode: RSASSA-PSS with SHA-256, MGF1-SHA-256 and
 * a 32-byte salt over {@code urlpath\nappid\ntimestamp\nbody}; the app signs its requests
 * with its private key, WeChat its answers with the platform certificate's. Pure
 * functions, JDK only.
 */
public final class ApiSecuritySignature {

	private static final PSSParameterSpec PSS = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32,
			PSSParameterSpec.TRAILER_FIELD_BC);

	/** Longest signature read, in Base64 characters: a 4096-bit RSA signature is 684. */
	private static final int MAX_SIGNATURE_LENGTH = 1024;

	private ApiSecuritySignature() {
	}

	/**
	 * The text that is signed.
	 * @param urlPath the URL with scheme and host, without the query
	 * @param appId the app id
	 * @param timestamp the {@code Wechatmp-TimeStamp}
	 * @param body the body exactly as sent
	 * @return {@code urlpath\nappid\ntimestamp\nbody} in UTF-8
	 */
	public static byte[] message(String urlPath, String appId, long timestamp, byte[] body) {
		byte[] head = (urlPath + "\n" + appId + "\n" + timestamp + "\n").getBytes(StandardCharsets.UTF_8);
		byte[] message = new byte[head.length + body.length];
		System.arraycopy(head, 0, message, 0, head.length);
		System.arraycopy(body, 0, message, head.length, body.length);
		return message;
	}

	/**
	 * Signs a request.
	 * @param privateKey the app's RSA private key
	 * @param message see {@link #message(String, String, long, byte[])}
	 * @return the Base64 signature for {@code Wechatmp-Signature}
	 */
	public static String sign(PrivateKey privateKey, byte[] message) {
		try {
			Signature signature = Signature.getInstance("RSASSA-PSS");
			signature.setParameter(PSS);
			signature.initSign(privateKey);
			signature.update(message);
			return Base64.getEncoder().encodeToString(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			// Not chained: the key's provider may describe the key.
			throw new IllegalStateException("signing with RSASSA-PSS failed (" + ex.getClass().getSimpleName() + ")");
		}
	}

	/**
	 * Verifies an answer's signature. Every failure (not Base64, too long, wrong key,
	 * altered message) is false.
	 * @param publicKey the platform certificate's public key
	 * @param message see {@link #message(String, String, long, byte[])}
	 * @param signatureBase64 the {@code Wechatmp-Signature}, may be null
	 * @return whether the signature is valid
	 */
	public static boolean verify(PublicKey publicKey, byte[] message, String signatureBase64) {
		if (signatureBase64 == null || signatureBase64.length() > MAX_SIGNATURE_LENGTH) {
			return false;
		}
		try {
			Signature signature = Signature.getInstance("RSASSA-PSS");
			signature.setParameter(PSS);
			signature.initVerify(publicKey);
			signature.update(message);
			return signature.verify(Base64.getDecoder().decode(signatureBase64));
		}
		catch (IllegalArgumentException | GeneralSecurityException ex) {
			return false;
		}
	}

}
