package io.github.wechatminiapp.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.wechatminiapp.apps.MiniAppCredentials;
import io.github.wechatminiapp.crypto.PemKeys;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.io.Resource;

/**
 * Reads the {@code api-security} properties of an app into
 * {@link MiniAppCredentials.ApiSecurity}, failing with the name of the property at fault:
 * a key of the wrong size or format, a resource that cannot be read, an algorithm this
 * starter does not implement. A key is never part of a message.
 */
final class ApiSecuritySettings {

	/** Largest PEM file read; a 4096-bit key is about 3 KB. */
	private static final int MAX_PEM_BYTES = 64 * 1024;

	private static final String TOP_LEVEL = "wechat.miniapp.api-security.";

	private ApiSecuritySettings() {
	}

	/**
	 * Reads every app's settings once, so that a bad one fails startup.
	 * @param properties the properties
	 */
	static void check(WeChatMiniAppProperties properties) {
		if (properties.getApiSecurity().isEnabled()) {
			String appId = properties.getAppId();
			if (appId == null || appId.isBlank()) {
				throw new InvalidConfigurationPropertyValueException(TOP_LEVEL + "enabled", true,
						"applies to the app of wechat.miniapp.app-id, which is not set; "
								+ "use wechat.miniapp.apps.<name>.api-security.*");
			}
			read(TOP_LEVEL, properties.getApiSecurity());
		}
		properties.getApps()
			.forEach((name, app) -> read("wechat.miniapp.apps." + name + ".api-security.", app.getApiSecurity()));
	}

	/**
	 * The settings of one app.
	 * @param prefix the properties' prefix, ending with a dot
	 * @param settings the properties
	 * @return the keys, or {@code null} when the mode is off
	 */
	static MiniAppCredentials.ApiSecurity read(String prefix, WeChatMiniAppProperties.ApiSecurity settings) {
		if (!settings.isEnabled()) {
			return null;
		}
		if (settings.getSymmetricAlgorithm() != WeChatMiniAppProperties.SymmetricAlgorithm.AES256_GCM) {
			throw new InvalidConfigurationPropertyValueException(prefix + "symmetric-algorithm",
					settings.getSymmetricAlgorithm(),
					"only AES256_GCM is implemented: choose it on the administration page (API安全)");
		}
		if (settings.getSignatureAlgorithm() != WeChatMiniAppProperties.SignatureAlgorithm.RSA_WITH_SHA256) {
			throw new InvalidConfigurationPropertyValueException(prefix + "signature-algorithm",
					settings.getSignatureAlgorithm(),
					"only RSAwithSHA256 is implemented: choose it on the administration page (API安全)");
		}
		String symmetricKey = settings.getSymmetricKey();
		String symmetricKeySn = required(prefix + "symmetric-key-sn", settings.getSymmetricKeySn());
		PrivateKey privateKey = privateKey(prefix + "private-key", settings.getPrivateKey());
		Map<String, X509Certificate> certificates = new LinkedHashMap<>();
		certificates.put(required(prefix + "platform-certificate-sn", settings.getPlatformCertificateSn()),
				certificate(prefix + "platform-certificate", settings.getPlatformCertificate()));
		if (settings.getNextPlatformCertificate() != null || settings.getNextPlatformCertificateSn() != null) {
			certificates.put(required(prefix + "next-platform-certificate-sn", settings.getNextPlatformCertificateSn()),
					certificate(prefix + "next-platform-certificate", settings.getNextPlatformCertificate()));
		}
		try {
			return new MiniAppCredentials.ApiSecurity(symmetricKey, symmetricKeySn, privateKey, certificates,
					settings.getReplayWindow());
		}
		catch (IllegalArgumentException ex) {
			boolean keyAtFault = ex.getMessage().startsWith("the symmetric key");
			String property = prefix + (keyAtFault ? "symmetric-key" : "replay-window");
			Object value = keyAtFault ? ((symmetricKey != null) ? "******" : null) : settings.getReplayWindow();
			throw new InvalidConfigurationPropertyValueException(property, value, ex.getMessage());
		}
	}

	private static String required(String property, String value) {
		if (value == null || value.isBlank()) {
			throw new InvalidConfigurationPropertyValueException(property, value,
					property + " is required in API security mode: the number the administration page shows");
		}
		return value;
	}

	private static PrivateKey privateKey(String property, Resource resource) {
		String pem = read(property, resource);
		try {
			return PemKeys.rsaPrivateKey(pem);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property, resource.getDescription(),
					"the file " + ex.getMessage());
		}
	}

	private static X509Certificate certificate(String property, Resource resource) {
		String pem = read(property, resource);
		try {
			return PemKeys.rsaCertificate(pem);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property, resource.getDescription(),
					"the file " + ex.getMessage());
		}
	}

	private static String read(String property, Resource resource) {
		if (resource == null) {
			throw new InvalidConfigurationPropertyValueException(property, null,
					property + " is required in API security mode: a PEM file (file:... or classpath:...)");
		}
		try (InputStream in = resource.getInputStream()) {
			byte[] bytes = in.readNBytes(MAX_PEM_BYTES + 1);
			if (bytes.length > MAX_PEM_BYTES) {
				throw new InvalidConfigurationPropertyValueException(property, resource.getDescription(),
						"larger than " + MAX_PEM_BYTES + " bytes: not a PEM key or certificate");
			}
			return new String(bytes, StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new InvalidConfigurationPropertyValueException(property, resource.getDescription(),
					"cannot be read (" + ex.getClass().getSimpleName() + ")");
		}
	}

}
