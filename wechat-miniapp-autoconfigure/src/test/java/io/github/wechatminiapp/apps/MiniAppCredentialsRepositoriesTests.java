package io.github.wechatminiapp.apps;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The repositories users build: a fixed set of apps, and several repositories composed.
 */
class MiniAppCredentialsRepositoriesTests {

	private static final String SECRET = "0123456789abcdef0123456789abcdef";

	private static final MiniAppCredentials SHOP = new MiniAppCredentials("wx1111111111111111", SECRET);

	private static final MiniAppCredentials STAFF = new MiniAppCredentials("wx2222222222222222", SECRET);

	private static final MiniAppCredentials TENANT = new MiniAppCredentials("wx3333333333333333", SECRET);

	@Test
	void inMemoryFindsAndListsItsAppsInOrder() {
		InMemoryMiniAppCredentialsRepository apps = new InMemoryMiniAppCredentialsRepository(List.of(STAFF, SHOP));
		assertThat(apps.findByAppId(SHOP.appId())).containsSame(SHOP);
		assertThat(apps.findByAppId(TENANT.appId())).isEmpty();
		assertThat(apps).containsExactly(STAFF, SHOP);
		assertThat(apps.toString()).contains(SHOP.appId()).doesNotContain(SECRET);
		assertThat(new InMemoryMiniAppCredentialsRepository(List.of())).isEmpty();
	}

	@Test
	void inMemoryRefusesAnAppTwiceAndNulls() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new InMemoryMiniAppCredentialsRepository(List.of(SHOP, SHOP)))
			.withMessageContaining("twice");
		assertThatIllegalArgumentException().isThrownBy(() -> new InMemoryMiniAppCredentialsRepository(null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new InMemoryMiniAppCredentialsRepository(java.util.Arrays.asList(SHOP, null)));
	}

	@Test
	void compositeAsksInTurnAndTheFirstThatKnowsAnswers() {
		AtomicInteger asked = new AtomicInteger();
		MiniAppCredentialsRepository tenants = (appId) -> {
			asked.incrementAndGet();
			return TENANT.appId().equals(appId) ? Optional.of(TENANT)
					: SHOP.appId().equals(appId)
							? Optional.of(new MiniAppCredentials(SHOP.appId(), "ffffffffffffffffffffffffffffffff"))
							: Optional.empty();
		};
		CompositeMiniAppCredentialsRepository apps = new CompositeMiniAppCredentialsRepository(
				new InMemoryMiniAppCredentialsRepository(List.of(SHOP, STAFF)), tenants);
		assertThat(apps.findByAppId(SHOP.appId())).containsSame(SHOP);
		assertThat(asked).hasValue(0);
		assertThat(apps.findByAppId(TENANT.appId())).containsSame(TENANT);
		assertThat(apps.findByAppId("wx4444444444444444")).isEmpty();
		assertThat(asked).hasValue(2);
	}

	@Test
	void compositeTakesANullAnswerForUnknown() {
		MiniAppCredentialsRepository careless = (appId) -> null;
		assertThat(new CompositeMiniAppCredentialsRepository(careless,
				new InMemoryMiniAppCredentialsRepository(List.of(SHOP)))
			.findByAppId(SHOP.appId())).containsSame(SHOP);
		assertThat(new CompositeMiniAppCredentialsRepository(careless).findByAppId(SHOP.appId())).isEmpty();
	}

	@Test
	void compositeListsTheAppsOfTheRepositoriesThatListTheirs() {
		CompositeMiniAppCredentialsRepository apps = new CompositeMiniAppCredentialsRepository(
				new InMemoryMiniAppCredentialsRepository(List.of(SHOP)), (appId) -> Optional.of(TENANT),
				new InMemoryMiniAppCredentialsRepository(List.of(STAFF)));
		assertThat(apps).containsExactly(SHOP, STAFF);
	}

	@Test
	void compositeNeedsRepositories() {
		assertThatIllegalArgumentException().isThrownBy(CompositeMiniAppCredentialsRepository::new);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CompositeMiniAppCredentialsRepository((MiniAppCredentialsRepository) null));
	}

}
