package io.github.wechatminiapp.session;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CaffeineSessionKeyRepositoryTests {

	private static final SessionKey K1 = SessionKey.ofBase64("tiihtNczf5v6AKRyjwEUhQ==");

	private static final SessionKey K2 = SessionKey.ofBase64("HyVFkGl5F5OQWJZZaNzBBg==");

	@Test
	void savesFindsReplacesAndRemovesByOpenid() {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofMinutes(1), 10);
		repository.save("openid-1", K1);
		repository.save("openid-2", K2);
		assertThat(repository.find("openid-1")).contains(K1);
		assertThat(repository.find("openid-2")).contains(K2);
		repository.save("openid-1", K2);
		assertThat(repository.find("openid-1")).contains(K2);
		repository.remove("openid-1");
		assertThat(repository.find("openid-1")).isEmpty();
		assertThat(repository.find("openid-2")).contains(K2);
		assertThat(repository.find(null)).isEmpty();
	}

	@Test
	void forgetsKeysAfterTheirTimeToLive() throws InterruptedException {
		CaffeineSessionKeyRepository repository = new CaffeineSessionKeyRepository(Duration.ofMillis(50), 10);
		repository.save("openid-1", K1);
		Thread.sleep(120);
		assertThat(repository.find("openid-1")).isEmpty();
	}

}
