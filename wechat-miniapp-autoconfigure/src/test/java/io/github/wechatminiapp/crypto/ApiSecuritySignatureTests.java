package io.github.wechatminiapp.crypto;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiSecuritySignatureTests {

	private static final PrivateKey APP_KEY = PemKeys
		.rsaPrivateKey(OfficialApiSecurityExample.resource("official-app-private-key.pem"));

	private static final PublicKey PLATFORM_KEY = PemKeys
		.rsaCertificate(OfficialApiSecurityExample.resource("official-platform-certificate.pem"))
		.getPublicKey();

	private static final byte[] RESPONSE_MESSAGE = ApiSecuritySignature.message(OfficialApiSecurityExample.URL_PATH,
			OfficialApiSecurityExample.APP_ID, OfficialApiSecurityExample.RESPONSE_TIMESTAMP,
			OfficialApiSecurityExample.RESPONSE_BODY.getBytes(StandardCharsets.UTF_8));

	@Test
	void messageIsTheDocumentedJoinWithoutATrailingNewline() {
		assertThat(new String(
				ApiSecuritySignature.message("https://h/p", "wx1", 12, "{}".getBytes(StandardCharsets.UTF_8)),
				StandardCharsets.UTF_8))
			.isEqualTo("https://h/p\nwx1\n12\n{}");
	}

	@Test
	void verifiesTheOfficialResponseSignatureWithTheOfficialPlatformCertificate() {
		assertThat(ApiSecuritySignature.verify(PLATFORM_KEY, RESPONSE_MESSAGE,
				OfficialApiSecurityExample.RESPONSE_SIGNATURE))
			.isTrue();
	}

	@Test
	void theOfficialRequestSignatureVerifiesWithTheOfficialAppKey() throws Exception {
		String body = new ApiSecurityEnvelope(OfficialApiSecurityExample.REQUEST_IV,
				OfficialApiSecurityExample.REQUEST_DATA, OfficialApiSecurityExample.REQUEST_AUTHTAG)
			.toJson();
		byte[] message = ApiSecuritySignature.message(OfficialApiSecurityExample.URL_PATH,
				OfficialApiSecurityExample.APP_ID, OfficialApiSecurityExample.REQUEST_TIMESTAMP,
				body.getBytes(StandardCharsets.UTF_8));
		assertThat(body).hasSize(324);
		assertThat(ApiSecuritySignature.verify(appPublicKey(), message, OfficialApiSecurityExample.REQUEST_SIGNATURE))
			.isTrue();
		// Ours is randomised (PSS) yet verifies the same way.
		String ours = ApiSecuritySignature.sign(APP_KEY, message);
		assertThat(ours).isNotEqualTo(OfficialApiSecurityExample.REQUEST_SIGNATURE);
		assertThat(ApiSecuritySignature.verify(appPublicKey(), message, ours)).isTrue();
		assertThat(Base64.getDecoder().decode(ours)).hasSize(256);
	}

	@Test
	void refusesAnyAlteredMessageOrSignature() {
		byte[] altered = RESPONSE_MESSAGE.clone();
		altered[altered.length - 3] ^= 1;
		assertThat(ApiSecuritySignature.verify(PLATFORM_KEY, altered, OfficialApiSecurityExample.RESPONSE_SIGNATURE))
			.isFalse();
		byte[] signature = Base64.getDecoder().decode(OfficialApiSecurityExample.RESPONSE_SIGNATURE);
		signature[10] ^= 1;
		assertThat(ApiSecuritySignature.verify(PLATFORM_KEY, RESPONSE_MESSAGE,
				Base64.getEncoder().encodeToString(signature)))
			.isFalse();
	}

	@Test
	void refusesAnotherKeysSignature() throws Exception {
		assertThat(ApiSecuritySignature.verify(appPublicKey(), RESPONSE_MESSAGE,
				OfficialApiSecurityExample.RESPONSE_SIGNATURE))
			.isFalse();
	}

	@Test
	void refusesMalformedSignatures() {
		assertThat(ApiSecuritySignature.verify(PLATFORM_KEY, RESPONSE_MESSAGE, null)).isFalse();
		assertThat(ApiSecuritySignature.verify(PLATFORM_KEY, RESPONSE_MESSAGE, "%%%")).isFalse();
		assertThat(ApiSecuritySignature.verify(PLATFORM_KEY, RESPONSE_MESSAGE, "")).isFalse();
		String padded = OfficialApiSecurityExample.RESPONSE_SIGNATURE + "A".repeat(1025 - 344);
		assertThat(ApiSecuritySignature.verify(PLATFORM_KEY, RESPONSE_MESSAGE, padded)).isFalse();
	}

	@Test
	void refusesAnotherSaltLength() throws Exception {
		Signature signer = Signature.getInstance("RSASSA-PSS");
		signer.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 20, 1));
		signer.initSign(APP_KEY);
		signer.update(RESPONSE_MESSAGE);
		String salt20 = Base64.getEncoder().encodeToString(signer.sign());
		assertThat(ApiSecuritySignature.verify(appPublicKey(), RESPONSE_MESSAGE, salt20)).isFalse();
	}

	private static PublicKey appPublicKey() throws Exception {
		RSAPrivateCrtKey key = (RSAPrivateCrtKey) APP_KEY;
		return KeyFactory.getInstance("RSA")
			.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
	}

}
