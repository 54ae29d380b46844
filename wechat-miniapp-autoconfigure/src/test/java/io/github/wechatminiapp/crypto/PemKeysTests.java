package io.github.wechatminiapp.crypto;

import java.security.interfaces.RSAPrivateCrtKey;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PemKeysTests {

	@Test
	void readsThePkcs1KeyAsWeChatDownloadsItAndItsPkcs8Form() {
		RSAPrivateCrtKey pkcs1 = (RSAPrivateCrtKey) PemKeys
			.rsaPrivateKey(OfficialApiSecurityExample.resource("official-app-private-key.pem"));
		RSAPrivateCrtKey pkcs8 = (RSAPrivateCrtKey) PemKeys
			.rsaPrivateKey(OfficialApiSecurityExample.resource("official-app-private-key-pkcs8.pem"));
		assertThat(pkcs1.getModulus().bitLength()).isEqualTo(2048);
		assertThat(pkcs1.getEncoded()).isEqualTo(pkcs8.getEncoded());
	}

	@Test
	void readsTheOfficialPlatformCertificate() {
		assertThat(PemKeys.rsaCertificate(OfficialApiSecurityExample.resource("official-platform-certificate.pem"))
			.getSubjectX500Principal()
			.getName()).contains("CN=wxd930ea5d5a258f4f");
	}

	@Test
	void refusesWhatIsNotAnUnencryptedRsaPrivateKeyWithoutQuotingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> PemKeys.rsaPrivateKey(null))
			.withMessageContaining("holds no PEM private key");
		assertThatIllegalArgumentException().isThrownBy(() -> PemKeys.rsaPrivateKey("MIIEow"))
			.withMessageContaining("holds no PEM private key");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PemKeys.rsaPrivateKey(OfficialApiSecurityExample.resource("encrypted-private-key.pem")))
			.withMessageContaining("encrypted private key");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PemKeys.rsaPrivateKey("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"))
			.withMessageContaining("has no -----END RSA PRIVATE KEY----- line");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PemKeys.rsaPrivateKey(OfficialApiSecurityExample.resource("ec-private-key.pem")))
			.withMessageContaining("not an RSA private key (only RSAwithSHA256 is supported, not SM2withSM3)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PemKeys.rsaPrivateKey(OfficialApiSecurityExample.resource("rsa-1024-private-key.pem")))
			.withMessage("is an RSA key of 1024 bits; at least 2048 are required");
		String pkcs8 = OfficialApiSecurityExample.resource("official-app-private-key-pkcs8.pem");
		assertThatIllegalArgumentException().isThrownBy(() -> PemKeys.rsaPrivateKey(pkcs8.replace("MII", "M*I")))
			.withMessage("is not valid Base64 between its PEM lines");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PemKeys.rsaPrivateKey(pkcs8.substring(0, pkcs8.indexOf("-----END"))))
			.withMessage("has no -----END PRIVATE KEY----- line");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> PemKeys.rsaPrivateKey("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"))
			.withMessageContaining("is not an RSA private key");
		String truncated = "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8w\n-----END PRIVATE KEY-----\n";
		assertThatIllegalArgumentException().isThrownBy(() -> PemKeys.rsaPrivateKey(truncated))
			.withMessageNotContaining("MIIBVQ");
	}

	@Test
	void refusesWhatIsNotAnRsaCertificate() {
		assertThatIllegalArgumentException().isThrownBy(() -> PemKeys.rsaCertificate(null))
			.withMessageContaining("holds no PEM certificate");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PemKeys.rsaCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))
			.withMessage("is not a valid X.509 certificate");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PemKeys.rsaCertificate(OfficialApiSecurityExample.resource("ec-certificate.pem")))
			.withMessageContaining("not an RSA certificate");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PemKeys.rsaCertificate(OfficialApiSecurityExample.resource("rsa-1024-certificate.pem")))
			.withMessageContaining("1024 bits");
	}

}
