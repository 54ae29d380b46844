package io.github.wechatminiapp.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads the RSA keys of WeChat's API security mode from PEM text: the app's private key
 * (PKCS#8 {@code BEGIN PRIVATE KEY}, or the PKCS#1 {@code BEGIN RSA PRIVATE KEY} WeChat's
 * administration page downloads) and the platform certificate (X.509). Messages describe
 * what is wrong, never the key.
 */
public final class PemKeys {

	/** Smallest RSA modulus accepted, in bits. */
	public static final int MIN_RSA_BITS = 2048;

	private static final String PKCS8 = "PRIVATE KEY";

	private static final String PKCS1 = "RSA PRIVATE KEY";

	/** DER of AlgorithmIdentifier { rsaEncryption, NULL }. */
	private static final byte[] RSA_ALGORITHM = { 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
			(byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00 };

	private PemKeys() {
	}

	/**
	 * Reads an RSA private key.
	 * @param pem the PEM text
	 * @return the key
	 * @throws IllegalArgumentException if the text holds no unencrypted RSA private key
	 * of at least 2048 bits
	 */
	public static PrivateKey rsaPrivateKey(String pem) {
		String text = (pem != null) ? pem : "";
		byte[] pkcs8;
		if (text.contains("-----BEGIN " + PKCS1 + "-----")) {
			pkcs8 = pkcs1ToPkcs8(body(text, PKCS1));
		}
		else if (text.contains("-----BEGIN " + PKCS8 + "-----")) {
			pkcs8 = body(text, PKCS8);
		}
		else if (text.contains("ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED")) {
			throw new IllegalArgumentException("is an encrypted private key; give the unencrypted PKCS#8 PEM "
					+ "(openssl pkcs8 -topk8 -nocrypt) and protect the file instead");
		}
		else {
			throw new IllegalArgumentException("holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
		}
		PrivateKey key;
		try {
			key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException(
					"is not an RSA private key (only RSAwithSHA256 is supported, " + "not SM2withSM3)");
		}
		requireStrength((RSAKey) key);
		return key;
	}

	/**
	 * Reads an X.509 certificate holding an RSA public key.
	 * @param pem the PEM text
	 * @return the certificate
	 * @throws IllegalArgumentException if the text holds no X.509 certificate with an RSA
	 * key of 2048 bits or more
	 */
	public static X509Certificate rsaCertificate(String pem) {
		String text = (pem != null) ? pem : "";
		if (!text.contains("-----BEGIN CERTIFICATE-----")) {
			throw new IllegalArgumentException("holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
		}
		X509Certificate certificate;
		try {
			certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(body(text, "CERTIFICATE")));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("is not a valid X.509 certificate");
		}
		if (!(certificate.getPublicKey() instanceof RSAKey rsa)) {
			throw new IllegalArgumentException(
					"is not an RSA certificate (only RSAwithSHA256 is supported, " + "not SM2withSM3)");
		}
		requireStrength(rsa);
		return certificate;
	}

	private static void requireStrength(RSAKey key) {
		if (key.getModulus().bitLength() < MIN_RSA_BITS) {
			throw new IllegalArgumentException("is an RSA key of " + key.getModulus().bitLength() + " bits; at least "
					+ MIN_RSA_BITS + " are required");
		}
	}

	private static byte[] body(String pem, String label) {
		String begin = "-----BEGIN " + label + "-----";
		String end = "-----END " + label + "-----";
		int start = pem.indexOf(begin);
		int stop = pem.indexOf(end, start);
		if (stop < 0) {
			throw new IllegalArgumentException("has no " + end + " line");
		}
		try {
			return Base64.getMimeDecoder()
				.decode(pem.substring(start + begin.length(), stop).strip().getBytes(StandardCharsets.US_ASCII));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("is not valid Base64 between its PEM lines");
		}
	}

	/**
	 * PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING { the PKCS#1 key } }.
	 * @param pkcs1 the DER of a PKCS#1 RSA private key
	 * @return the DER of the same key in PKCS#8
	 */
	private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
		ByteArrayOutputStream content = new ByteArrayOutputStream();
		content.writeBytes(new byte[] { 0x02, 0x01, 0x00 });
		content.writeBytes(RSA_ALGORITHM);
		content.writeBytes(tlv(0x04, pkcs1));
		return tlv(0x30, content.toByteArray());
	}

	/**
	 * Always the two-byte long form: a PKCS#1 RSA key of 2048 to 16384 bits is 1 to 10
	 * KB. Anything else yields DER the key factory refuses, which is the outcome it
	 * deserves.
	 * @param tag the DER tag
	 * @param value the content, shorter than 64 KB
	 * @return the encoded tag, length and value
	 */
	private static byte[] tlv(int tag, byte[] value) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(tag);
		out.write(0x82);
		out.write(value.length >>> 8);
		out.write(value.length);
		out.writeBytes(value);
		return out.toByteArray();
	}

}
