package io.github.wechatminiapp.security;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.wechatminiapp.InvalidInputException;
import io.github.wechatminiapp.LoginRequiredException;
import io.github.wechatminiapp.apps.MiniApps;
import io.github.wechatminiapp.apps.UnknownMiniAppException;
import io.github.wechatminiapp.autoconfigure.WeChatMiniAppAutoConfiguration;
import io.github.wechatminiapp.autoconfigure.WeChatMiniAppRedisAutoConfiguration;
import io.github.wechatminiapp.autoconfigure.WeChatMiniAppSecurityAutoConfiguration;
import io.github.wechatminiapp.opendata.FailureBudgetListener;
import io.github.wechatminiapp.opendata.Refusal;
import io.github.wechatminiapp.phone.PhoneNumberService;
import io.github.wechatminiapp.session.SessionKey;
import io.github.wechatminiapp.session.SessionKeyRepository;
import io.github.wechatminiapp.session.SessionKeyResetListener;
import io.github.wechatminiapp.test.EncryptedData;
import io.github.wechatminiapp.test.WeChatSandbox;
import io.github.wechatminiapp.test.WeChatSandboxExtension;
import io.github.wechatminiapp.test.WeChatSandboxUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Conditions of the Spring Security login's beans. No Redis server is needed: Lettuce
 * connects lazily. Session key resets go to {@link WeChatSandbox}, which serves a second
 * app for {@code MiniApps}.
 */
@ExtendWith(OutputCaptureExtension.class)
class WeChatMiniAppSecurityAutoConfigurationTests {

	private static final String SHOP = "wx1111111111111111";

	private static final String SHOP_SECRET = "1111111111111111aaaaaaaaaaaaaaaa";

	@RegisterExtension
	static final WeChatSandboxExtension sandboxExtension = new WeChatSandboxExtension(
			WeChatSandbox.builder().app(SHOP, SHOP_SECRET));

	private static final WeChatSandbox sandbox = sandboxExtension.sandbox();

	private static final String RESET_LISTENER = "miniAppBearerTokenRevokingSessionKeyResetListener";

	private static final String BUDGET_LISTENER = "miniAppBearerTokenRevokingFailureBudgetListener";

	private static final MiniAppPrincipal ALICE = new MiniAppPrincipal("wx0123456789abcdef", "o-alice", null);

	private static final String[] SECURITY_BEANS = { "caffeineMiniAppBearerTokenStore", "miniAppBearerTokenService",
			"defaultRoleMiniAppUserService", "caffeineMiniAppLoginThrottle" };

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DataRedisAutoConfiguration.class, WeChatMiniAppRedisAutoConfiguration.class,
						WeChatMiniAppAutoConfiguration.class, WeChatMiniAppSecurityAutoConfiguration.class))
		.withPropertyValues("wechat.miniapp.app-id=wx0123456789abcdef",
				"wechat.miniapp.app-secret=0123456789abcdef0123456789abcdef", "spring.data.redis.port=1");

	/** The single app on the sandbox, whose keys can be reset. */
	private final WebApplicationContextRunner sandboxed = this.runner
		.withPropertyValues(sandbox.springPropertyValues());

	@Test
	void withSpringSecurityTokensAreOpaqueAndKeptInMemory() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			for (String name : SECURITY_BEANS) {
				assertThat(context).hasBean(name);
			}
			assertThat(context.getBean(MiniAppBearerTokenStore.class))
				.isInstanceOf(CaffeineMiniAppBearerTokenStore.class);
			MiniAppBearerTokenService tokens = context.getBean(MiniAppBearerTokenService.class);
			assertThat(tokens).isInstanceOf(OpaqueMiniAppBearerTokenService.class);
			MiniAppBearerToken issued = tokens.issue(ALICE, AuthorityUtils.NO_AUTHORITIES);
			assertThat(issued.expiresIn()).isEqualTo(Duration.ofDays(1));
			assertThat(tokens.authenticate(issued.value())).isPresent();
		});
	}

	@Test
	void everyLoginGetsTheDefaultRole() {
		this.runner.run((context) -> assertThat(
				AuthorityUtils.authorityListToSet(context.getBean(MiniAppUserService.class).onLogin(ALICE)))
			.containsExactly("ROLE_USER"));
		this.runner.withPropertyValues("wechat.miniapp.security.default-role=CUSTOMER")
			.run((context) -> assertThat(
					AuthorityUtils.authorityListToSet(context.getBean(MiniAppUserService.class).onLogin(ALICE)))
				.containsExactly("ROLE_CUSTOMER"));
	}

	@Test
	void tokenLifetimesComeFromTheProperties() {
		this.runner
			.withPropertyValues("wechat.miniapp.security.token.time-to-live=2h",
					"wechat.miniapp.security.token.idle-timeout=15m")
			.run((context) -> assertThat(context.getBean(MiniAppBearerTokenService.class)
				.issue(ALICE, AuthorityUtils.NO_AUTHORITIES)
				.expiresIn()).isEqualTo(Duration.ofMinutes(15)));
		this.runner.withPropertyValues("wechat.miniapp.security.token.time-to-live=2h")
			.run((context) -> assertThat(context.getBean(MiniAppBearerTokenService.class)
				.issue(ALICE, AuthorityUtils.NO_AUTHORITIES)
				.expiresIn()).isEqualTo(Duration.ofHours(2)));
	}

	@Test
	void failedLoginsAreBoundedInMemoryByDefaultAndOnRedisWithTheSessionKeys() {
		this.runner
			.withPropertyValues("wechat.miniapp.security.login.max-failures=2",
					"wechat.miniapp.security.login.failure-window=10m")
			.run((context) -> {
				MiniAppLoginThrottle throttle = context.getBean(MiniAppLoginThrottle.class);
				assertThat(throttle).isInstanceOf(CaffeineMiniAppLoginThrottle.class);
				throttle.recordFailure("a");
				assertThat(throttle.blockedFor("a")).isEmpty();
				throttle.recordFailure("a");
				assertThat(throttle.blockedFor("a")).get()
					.satisfies((wait) -> assertThat(wait).isGreaterThan(Duration.ofMinutes(9)));
			});
		this.runner.withPropertyValues("wechat.miniapp.store=redis")
			.run((context) -> assertThat(context.getBean(MiniAppLoginThrottle.class))
				.isInstanceOf(RedisMiniAppLoginThrottle.class));
		MiniAppLoginThrottle own = new CaffeineMiniAppLoginThrottle(1, Duration.ofMinutes(1),
				java.time.Clock.systemUTC());
		this.runner.withPropertyValues("wechat.miniapp.store=redis")
			.withBean(MiniAppLoginThrottle.class, () -> own)
			.run((context) -> assertThat(context.getBean(MiniAppLoginThrottle.class)).isSameAs(own));
		this.runner.withBean(MiniAppLoginThrottle.class, () -> own)
			.run((context) -> assertThat(context.getBean(MiniAppLoginThrottle.class)).isSameAs(own));
	}

	@Test
	void tokensPerUserComeFromTheProperties() {
		this.runner.withPropertyValues("wechat.miniapp.security.token.max-per-user=1").run((context) -> {
			MiniAppBearerTokenService tokens = context.getBean(MiniAppBearerTokenService.class);
			String first = tokens.issue(ALICE, AuthorityUtils.NO_AUTHORITIES).value();
			String second = tokens.issue(ALICE, AuthorityUtils.NO_AUTHORITIES).value();
			assertThat(tokens.authenticate(first)).isEmpty();
			assertThat(tokens.authenticate(second)).isPresent();
		});
		this.runner.run((context) -> {
			MiniAppBearerTokenService tokens = context.getBean(MiniAppBearerTokenService.class);
			java.util.List<String> issued = new java.util.ArrayList<>();
			for (int i = 0; i < 11; i++) {
				issued.add(tokens.issue(ALICE, AuthorityUtils.NO_AUTHORITIES).value());
			}
			assertThat(tokens.authenticate(issued.get(0))).isEmpty();
			assertThat(tokens.authenticate(issued.get(1))).isPresent();
		});
	}

	@Test
	void aSpentFailureBudgetRevokesTheUsersTokensUnlessTurnedOff() {
		this.runner.run((context) -> {
			MiniAppBearerTokenService tokens = context.getBean(MiniAppBearerTokenService.class);
			String token = tokens.issue(ALICE, AuthorityUtils.NO_AUTHORITIES).value();
			FailureBudgetListener listener = context.getBean("miniAppBearerTokenRevokingFailureBudgetListener",
					FailureBudgetListener.class);
			listener.exhausted(ALICE.appId());
			assertThat(tokens.authenticate(token)).isPresent();
			listener.exhausted(ALICE.appId(), "o-someone-else");
			assertThat(tokens.authenticate(token)).isPresent();
			listener.exhausted(ALICE.appId(), ALICE.openid());
			assertThat(tokens.authenticate(token)).isEmpty();
		});
		this.runner.withPropertyValues("wechat.miniapp.security.token.revoke-with-session-keys=false")
			.run((context) -> assertThat(context).doesNotHaveBean("miniAppBearerTokenRevokingFailureBudgetListener"));
		// A store that fails: the keys are gone already, so the budget's caller is not
		// failed too.
		this.runner.withBean(MiniAppBearerTokenStore.class, OpaqueMiniAppBearerTokenServiceTests.FailingStore::new)
			.run((context) -> context
				.getBean("miniAppBearerTokenRevokingFailureBudgetListener", FailureBudgetListener.class)
				.exhausted(ALICE.appId(), ALICE.openid()));
	}

	@Test
	void aSessionKeyResetRevokesTheUsersTokens() {
		this.sandboxed.run((context) -> {
			MiniAppBearerTokenService tokens = context.getBean(MiniAppBearerTokenService.class);
			PhoneNumberService phoneNumbers = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = loggedIn(phoneNumbers);
			WeChatSandboxUser other = loggedIn(phoneNumbers);
			String token = issue(tokens, sandbox.appId(), user);
			String othersToken = issue(tokens, sandbox.appId(), other);
			phoneNumbers.resetSessionKey(user.openid());
			assertThat(tokens.authenticate(token)).isEmpty();
			assertThat(tokens.authenticate(othersToken)).isPresent();
			// The login after the reset is a new one, and lives.
			assertThat(tokens.authenticate(issue(tokens, sandbox.appId(), user))).isPresent();
		});
	}

	@Test
	void aSessionKeyResetLeavesTheTokensWhenTurnedOff() {
		this.sandboxed.withPropertyValues("wechat.miniapp.security.token.revoke-with-session-keys=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RESET_LISTENER);
				MiniAppBearerTokenService tokens = context.getBean(MiniAppBearerTokenService.class);
				PhoneNumberService phoneNumbers = context.getBean(PhoneNumberService.class);
				WeChatSandboxUser user = loggedIn(phoneNumbers);
				String token = issue(tokens, sandbox.appId(), user);
				phoneNumbers.resetSessionKey(user.openid());
				assertStoredKeyIsWeChats(context, user);
				assertThat(tokens.authenticate(token)).isPresent();
			});
	}

	@Test
	void aSessionKeyResetOfAnyAppRevokesThatAppsUsersTokens() {
		this.sandboxed
			.withPropertyValues("wechat.miniapp.apps.shop.app-id=" + SHOP,
					"wechat.miniapp.apps.shop.app-secret=" + SHOP_SECRET)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(PhoneNumberService.class);
				MiniAppBearerTokenService tokens = context.getBean(MiniAppBearerTokenService.class);
				PhoneNumberService shop = context.getBean(MiniApps.class).phoneNumbers(SHOP);
				WeChatSandboxUser shopper = sandbox.createUser(SHOP);
				shop.login(sandbox.loginCode(shopper));
				String token = issue(tokens, SHOP, shopper);
				// The same openid in the other app is another user.
				String sameOpenidOtherApp = issue(tokens, sandbox.appId(), shopper);
				shop.resetSessionKey(shopper.openid());
				assertThat(tokens.authenticate(token)).isEmpty();
				assertThat(tokens.authenticate(sameOpenidOtherApp)).isPresent();
			});
	}

	@Test
	void aTokenStoreThatFailsDoesNotFailTheReset(CapturedOutput output) {
		List<String> openids = new CopyOnWriteArrayList<>();
		this.sandboxed.withBean(MiniAppBearerTokenStore.class, OpaqueMiniAppBearerTokenServiceTests.FailingStore::new)
			.run((context) -> {
				WeChatSandboxUser user = loggedIn(context.getBean(PhoneNumberService.class));
				openids.add(user.openid());
				// The new key is stored, and the reset answers as if nothing failed.
				context.getBean(PhoneNumberService.class).resetSessionKey(user.openid());
				assertStoredKeyIsWeChats(context, user);
			});
		assertThat(output.getOut()).containsPattern(
				"WARN .*Bearer tokens of a user whose session keys were reset not revoked: StoreAccessException\\R");
		// The exception's class only: not its message, nor the user.
		assertThat(output.getAll()).doesNotContain(openids.get(0)).doesNotContain("bearer tokens");
	}

	@Test
	void theApplicationsResetListenersAreToldInOrderBesideTheRevocation() {
		List<String> told = OrderedResetListeners.TOLD;
		told.clear();
		this.sandboxed.withUserConfiguration(OrderedResetListeners.class).run((context) -> {
			assertThat(context).hasBean(RESET_LISTENER);
			MiniAppBearerTokenService tokens = context.getBean(MiniAppBearerTokenService.class);
			PhoneNumberService phoneNumbers = context.getBean(PhoneNumberService.class);
			WeChatSandboxUser user = loggedIn(phoneNumbers);
			String token = issue(tokens, sandbox.appId(), user);
			phoneNumbers.resetSessionKey(user.openid());
			assertThat(told).containsExactly("first " + sandbox.appId() + " " + user.openid(),
					"second " + sandbox.appId() + " " + user.openid());
			assertThat(tokens.authenticate(token)).isEmpty();
		});
	}

	@Test
	void aResetListenerOfTheSameNameReplacesTheRevocation() {
		List<String> told = new CopyOnWriteArrayList<>();
		this.sandboxed
			.withBean(RESET_LISTENER, SessionKeyResetListener.class, () -> (appId, openid) -> told.add(openid))
			.run((context) -> {
				assertThat(context).hasSingleBean(SessionKeyResetListener.class);
				MiniAppBearerTokenService tokens = context.getBean(MiniAppBearerTokenService.class);
				PhoneNumberService phoneNumbers = context.getBean(PhoneNumberService.class);
				WeChatSandboxUser user = loggedIn(phoneNumbers);
				String token = issue(tokens, sandbox.appId(), user);
				phoneNumbers.resetSessionKey(user.openid());
				assertThat(told).containsExactly(user.openid());
				assertThat(tokens.authenticate(token)).isPresent();
			});
	}

	@Test
	void aFailureBudgetListenerOfTheSameNameReplacesTheRevocation() {
		List<String> told = new CopyOnWriteArrayList<>();
		FailureBudgetListener own = new FailureBudgetListener() {

			@Override
			public void exhausted(String appId) {
			}

			@Override
			public void exhausted(String appId, String openid) {
				told.add(openid);
			}

		};
		this.sandboxed.withPropertyValues("wechat.miniapp.session.decryption-failure-budget=1")
			.withBean(BUDGET_LISTENER, FailureBudgetListener.class, () -> own)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(FailureBudgetListener.class);
				assertThat(context.getBean(BUDGET_LISTENER)).isSameAs(own);
				MiniAppBearerTokenService tokens = context.getBean(MiniAppBearerTokenService.class);
				PhoneNumberService phoneNumbers = context.getBean(PhoneNumberService.class);
				WeChatSandboxUser user = loggedIn(phoneNumbers);
				String token = issue(tokens, sandbox.appId(), user);
				assertThat(rejectTampered(phoneNumbers, user))
					.isEqualTo(LoginRequiredException.Reason.FAILURE_BUDGET_EXHAUSTED);
				assertThat(told).containsExactly(user.openid());
				assertThat(tokens.authenticate(token)).isPresent();
			});
	}

	/**
	 * The user's own payload with the iv's last byte changed, which no key decrypts.
	 */
	private static Enum<?> rejectTampered(PhoneNumberService phoneNumbers, WeChatSandboxUser user) {
		EncryptedData data = sandbox.encryptPhoneNumber(user);
		byte[] iv = Base64.getDecoder().decode(data.iv());
		iv[15] ^= 0x01;
		return Refusal
			.of(() -> phoneNumbers.decryptPhoneNumber(user.openid(), data.encryptedData(),
					Base64.getEncoder().encodeToString(iv)))
			.reason();
	}

	private static WeChatSandboxUser loggedIn(PhoneNumberService phoneNumbers) {
		WeChatSandboxUser user = sandbox.createUser(phoneNumbers.appId());
		phoneNumbers.login(sandbox.loginCode(user));
		return user;
	}

	private static String issue(MiniAppBearerTokenService tokens, String appId, WeChatSandboxUser user) {
		return tokens.issue(new MiniAppPrincipal(appId, user.openid(), null), AuthorityUtils.NO_AUTHORITIES).value();
	}

	private static void assertStoredKeyIsWeChats(ApplicationContext context, WeChatSandboxUser user) {
		assertThat(context.getBean(SessionKeyRepository.class).find(user.openid()))
			.contains(SessionKey.ofBase64(sandbox.sessionKey(user)));
	}

	@Test
	void theInMemoryStoreIsBoundedByTheMaximumSize() {
		this.runner.withPropertyValues("wechat.miniapp.security.token.maximum-size=0")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void tokensGoToRedisWithTheSessionKeys() {
		this.runner.withPropertyValues("wechat.miniapp.store=redis").run((context) -> {
			assertThat(context).hasNotFailed().hasBean("redisMiniAppBearerTokenStore");
			assertThat(context.getBean(MiniAppBearerTokenStore.class)).isInstanceOf(RedisMiniAppBearerTokenStore.class);
		});
	}

	@Test
	void eitherDeprecatedStoreSwitchStillPutsTokensAndFailedLoginsOnRedis() {
		for (String alias : new String[] { "wechat.miniapp.session.store=redis",
				"wechat.miniapp.access-token.store=redis" }) {
			this.runner.withPropertyValues(alias).run((context) -> {
				assertThat(context).as(alias).hasNotFailed();
				assertThat(context.getBean(MiniAppBearerTokenStore.class)).as(alias)
					.isInstanceOf(RedisMiniAppBearerTokenStore.class);
				assertThat(context.getBean(MiniAppLoginThrottle.class)).as(alias)
					.isInstanceOf(RedisMiniAppLoginThrottle.class);
			});
		}
	}

	@Test
	void withoutSpringSecurityWebNothingIsRegistered() {
		this.runner.withClassLoader(new FilteredClassLoader(SecurityFilterChain.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(WeChatMiniAppSecurityAutoConfiguration.class)
				.doesNotHaveBean(MiniAppBearerTokenStore.class)
				.doesNotHaveBean(MiniAppBearerTokenService.class)
				.doesNotHaveBean(MiniAppUserService.class)
				.doesNotHaveBean(MiniAppLoginThrottle.class));
	}

	@Test
	void withoutSpringSecurityConfigNothingIsRegistered() {
		this.runner.withClassLoader(new FilteredClassLoader(HttpSecurity.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(WeChatMiniAppSecurityAutoConfiguration.class)
				.doesNotHaveBean(MiniAppBearerTokenService.class));
	}

	@Test
	void withoutSpringSecurityAtAllTheRestStillWorks() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasBean("phoneNumberService")
				.doesNotHaveBean(WeChatMiniAppSecurityAutoConfiguration.class));
	}

	@Test
	void notInANonWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WeChatMiniAppAutoConfiguration.class,
					WeChatMiniAppSecurityAutoConfiguration.class))
			.withPropertyValues("wechat.miniapp.app-id=wx0123456789abcdef",
					"wechat.miniapp.app-secret=0123456789abcdef0123456789abcdef")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MiniAppBearerTokenService.class));
	}

	@Test
	void notWhenTheStarterIsDisabled() {
		this.runner.withPropertyValues("wechat.miniapp.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MiniAppBearerTokenService.class));
	}

	@Test
	void userDefinedBeansWin() {
		this.runner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(MiniAppBearerTokenStore.class)).isSameAs(UserBeans.STORE);
			assertThat(context.getBean(MiniAppUserService.class)).isSameAs(UserBeans.USERS);
			assertThat(context.getBean(MiniAppBearerTokenService.class)).isSameAs(UserBeans.TOKENS);
			assertThat(context.getBean(MiniAppLoginThrottle.class)).isSameAs(UserBeans.THROTTLE);
			for (String name : SECURITY_BEANS) {
				assertThat(context).doesNotHaveBean(name);
			}
		});
	}

	@Test
	void aUserDefinedStoreBacksTheDefaultTokenService() {
		this.runner.withPropertyValues("wechat.miniapp.store=redis")
			.withBean(MiniAppBearerTokenStore.class, () -> UserBeans.STORE)
			.run((context) -> {
				assertThat(context.getBean(MiniAppBearerTokenStore.class)).isSameAs(UserBeans.STORE);
				assertThat(context).doesNotHaveBean(RedisMiniAppBearerTokenStore.class);
				assertThat(context.getBean(MiniAppBearerTokenService.class))
					.isInstanceOf(OpaqueMiniAppBearerTokenService.class);
			});
	}

	@Test
	void withSeveralAppsALoginGoesToTheAppItsRefererNames() {
		this.runner
			.withPropertyValues("wechat.miniapp.apps.shop.app-id=wx1111111111111111",
					"wechat.miniapp.apps.shop.app-secret=1111111111111111aaaaaaaaaaaaaaaa")
			.run((context) -> {
				MiniAppResolver resolver = context.getBean(MiniAppResolver.class);
				MockHttpServletRequest fromShop = new MockHttpServletRequest("POST", "/login/wechat-miniapp");
				fromShop.addHeader("Referer", "https://servicewechat.com/wx1111111111111111/3/page-frame.html");
				assertThat(resolver.resolve(fromShop).appId()).isEqualTo("wx1111111111111111");
				fromShop.removeHeader("Referer");
				fromShop.addHeader("Referer", "https://servicewechat.com/wx0123456789abcdef/3/page-frame.html");
				assertThat(resolver.resolve(fromShop).appId()).isEqualTo("wx0123456789abcdef");
				// Two apps: no "one app" to fall back on.
				MockHttpServletRequest unnamed = new MockHttpServletRequest("POST", "/login/wechat-miniapp");
				assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> resolver.resolve(unnamed));
				MockHttpServletRequest unknown = new MockHttpServletRequest("POST", "/login/wechat-miniapp");
				unknown.addHeader("Referer", "https://servicewechat.com/wx2222222222222222/3/page-frame.html");
				assertThatExceptionOfType(UnknownMiniAppException.class).isThrownBy(() -> resolver.resolve(unknown));
			});
	}

	@Test
	void withSeveralAppsALoginMustNameItsApp() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WeChatMiniAppAutoConfiguration.class,
					WeChatMiniAppSecurityAutoConfiguration.class))
			.withPropertyValues("wechat.miniapp.apps.shop.app-id=wx1111111111111111",
					"wechat.miniapp.apps.shop.app-secret=1111111111111111aaaaaaaaaaaaaaaa",
					"wechat.miniapp.apps.staff.app-id=wx2222222222222222",
					"wechat.miniapp.apps.staff.app-secret=2222222222222222bbbbbbbbbbbbbbbb")
			.run((context) -> {
				MiniAppResolver resolver = context.getBean(MiniAppResolver.class);
				MockHttpServletRequest fromStaff = new MockHttpServletRequest("POST", "/login/wechat-miniapp");
				fromStaff.addHeader("Referer", "https://servicewechat.com/wx2222222222222222/0/page-frame.html");
				assertThat(resolver.resolve(fromStaff).appId()).isEqualTo("wx2222222222222222");
				assertThatExceptionOfType(InvalidInputException.class)
					.isThrownBy(() -> resolver.resolve(new MockHttpServletRequest("POST", "/login/wechat-miniapp")))
					.withMessageContaining("names no mini program");
			});
	}

	@Test
	void aResolverOfTheUsersOwnWins() {
		MiniAppResolver own = (request) -> {
			throw new IllegalStateException("own resolver");
		};
		this.runner.withBean(MiniAppResolver.class, () -> own)
			.run((context) -> assertThat(context.getBean(MiniAppResolver.class)).isSameAs(own));
	}

	@Configuration(proxyBeanMethods = false)
	static class OrderedResetListeners {

		static final List<String> TOLD = new CopyOnWriteArrayList<>();

		// Declared second, told first.
		@Bean
		@Order(2)
		SessionKeyResetListener secondResetListener() {
			return (appId, openid) -> TOLD.add("second " + appId + " " + openid);
		}

		@Bean
		@Order(1)
		SessionKeyResetListener firstResetListener() {
			return (appId, openid) -> TOLD.add("first " + appId + " " + openid);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final MiniAppLoginThrottle THROTTLE = new CaffeineMiniAppLoginThrottle(1, Duration.ofMinutes(1),
				java.time.Clock.systemUTC());

		@Bean
		MiniAppLoginThrottle userThrottle() {
			return THROTTLE;
		}

		static final MiniAppBearerTokenStore STORE = new CaffeineMiniAppBearerTokenStore(1);

		static final MiniAppUserService USERS = (principal) -> AuthorityUtils.createAuthorityList("ROLE_X");

		static final MiniAppBearerTokenService TOKENS = new OpaqueMiniAppBearerTokenService(STORE,
				Duration.ofMinutes(1), Duration.ZERO, java.time.Clock.systemUTC());

		@Bean
		MiniAppBearerTokenStore userTokenStore() {
			return STORE;
		}

		@Bean
		MiniAppUserService userUserService() {
			return USERS;
		}

		@Bean
		MiniAppBearerTokenService userTokenService() {
			return TOKENS;
		}

	}

}
