package io.github.wechatminiapp.apps;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.wechatminiapp.StoreAccessException;
import io.github.wechatminiapp.WeChatMiniAppException;
import io.github.wechatminiapp.opendata.OpenDataService;
import io.github.wechatminiapp.phone.PhoneNumberService;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Every mini program this backend serves, by app id: those built at startup (the apps the
 * {@link MiniAppCredentialsRepository} lists, such as those of the properties), and those
 * it knows, built on first use and cached. Each app has its own session keys and access
 * token; all share one HTTP client, so an app costs a few small objects, not threads or
 * connections.
 * <p>
 * A lookup of a malformed app id fails at once, without asking the repository; an id the
 * repository does not know is remembered as unknown for a short while, so a flood of
 * made-up ids cannot hammer its database.
 */
public final class MiniApps {

	/** Enough to absorb a flood of made-up ids; the oldest are forgotten first. */
	static final int MAX_UNKNOWN_REMEMBERED = 10_000;

	private final Map<String, MiniApp> configured;

	private final MiniAppCredentialsRepository repository;

	private final Function<MiniAppCredentials, MiniApp> factory;

	private final Cache<String, MiniApp> loaded;

	private final Cache<String, Boolean> unknown;

	private final Function<String, MiniApp> loader = this::load;

	/**
	 * Apps from properties only.
	 * @param configured the apps, built already
	 */
	public MiniApps(Collection<MiniApp> configured) {
		this(configured, null, (credentials) -> {
			throw new IllegalStateException("no MiniAppCredentialsRepository");
		}, 1, Duration.ZERO);
	}

	/**
	 * Apps from properties and from a repository.
	 * @param configured the apps from properties, built already; they are never evicted
	 * @param repository where other apps are found, or {@code null} for none
	 * @param factory builds an app's services from its credentials
	 * @param maximumSize most apps from the repository kept at once; the least used
	 * beyond it are dropped (with their in-memory session keys and token) and built again
	 * on next use
	 * @param unknownTimeToLive how long an app id the repository did not know is answered
	 * as unknown without asking again; zero asks every time
	 */
	public MiniApps(Collection<MiniApp> configured, @Nullable MiniAppCredentialsRepository repository,
			Function<MiniAppCredentials, MiniApp> factory, long maximumSize, Duration unknownTimeToLive) {
		Assert.notNull(configured, "configured must not be null");
		Assert.notNull(factory, "factory must not be null");
		Assert.isTrue(maximumSize > 0, "maximumSize must be positive");
		Assert.isTrue(unknownTimeToLive != null && !unknownTimeToLive.isNegative(),
				"unknownTimeToLive must not be negative");
		Map<String, MiniApp> apps = new LinkedHashMap<>();
		for (MiniApp app : configured) {
			Assert.isTrue(apps.putIfAbsent(app.appId(), app) == null, () -> "app " + app.appId() + " given twice");
		}
		this.configured = Collections.unmodifiableMap(apps);
		this.repository = repository;
		this.factory = factory;
		this.loaded = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
		// Apart from the apps, so that a flood of made-up ids cannot push real apps (and
		// their keys) out.
		this.unknown = Caffeine.newBuilder()
			.maximumSize(MAX_UNKNOWN_REMEMBERED)
			.expireAfterWrite(unknownTimeToLive)
			.executor(Runnable::run)
			.build();
	}

	/**
	 * The open data service of an app.
	 * @param appId the app id
	 * @return its service
	 * @throws UnknownMiniAppException if the id is malformed or no app has it
	 */
	public OpenDataService openData(String appId) {
		return app(appId).openData();
	}

	/**
	 * The phone number service of an app.
	 * @param appId the app id
	 * @return its service
	 * @throws UnknownMiniAppException if the id is malformed or no app has it
	 */
	public PhoneNumberService phoneNumbers(String appId) {
		return app(appId).phoneNumbers();
	}

	/**
	 * All services of an app, built on first use when it comes from the repository.
	 * Concurrent first uses of one app ask the repository once.
	 * @param appId the app id
	 * @return the app
	 * @throws UnknownMiniAppException if the id is malformed or no app has it
	 */
	public MiniApp app(String appId) {
		if (!MiniAppCredentials.isAppId(appId)) {
			// Not repeated: it may be anything a client sent.
			throw new UnknownMiniAppException("malformed app id");
		}
		MiniApp app = this.configured.get(appId);
		if (app != null) {
			return app;
		}
		if (this.repository == null || this.unknown.getIfPresent(appId) != null) {
			throw unknown(appId);
		}
		app = this.loaded.get(appId, this.loader);
		if (app == null) {
			this.unknown.put(appId, Boolean.TRUE);
			throw unknown(appId);
		}
		return app;
	}

	/**
	 * The ids of the apps from properties and of those loaded from the repository so far.
	 * @return the app ids, those from properties first
	 */
	public Set<String> appIds() {
		Set<String> ids = new LinkedHashSet<>(this.configured.keySet());
		ids.addAll(this.loaded.asMap().keySet());
		return Collections.unmodifiableSet(ids);
	}

	/**
	 * The apps built so far, without loading any.
	 * @return the apps from properties and those loaded from the repository
	 */
	public List<MiniApp> loadedApps() {
		List<MiniApp> apps = new ArrayList<>(this.configured.values());
		apps.addAll(this.loaded.asMap().values());
		return Collections.unmodifiableList(apps);
	}

	/**
	 * An app built already, without asking the repository.
	 * @param appId the app id
	 * @return the app, or empty when it is not built (or unknown)
	 */
	public Optional<MiniApp> loadedApp(String appId) {
		if (appId == null) {
			return Optional.empty();
		}
		MiniApp app = this.configured.get(appId);
		return Optional.ofNullable((app != null) ? app : this.loaded.getIfPresent(appId));
	}

	/**
	 * Drops an app loaded from the repository (its secret changed, it was removed) or a
	 * remembered unknown id, so that the next use asks the repository again. Apps from
	 * properties stay: they change with a restart.
	 * @param appId the app id
	 */
	public void evict(String appId) {
		if (appId != null) {
			this.loaded.invalidate(appId);
			this.unknown.invalidate(appId);
		}
	}

	/**
	 * Null when the repository does not know the app: Caffeine then keeps nothing.
	 * @param appId the app id asked for
	 * @return the app's services, or {@code null} when the repository does not know it
	 */
	private MiniApp load(String appId) {
		Optional<MiniAppCredentials> found;
		try {
			found = this.repository.findByAppId(appId);
		}
		catch (RuntimeException ex) {
			// Not cached: the next use asks again.
			throw new StoreAccessException("MiniAppCredentialsRepository", "mini program credentials", ex);
		}
		if (found == null || found.isEmpty()) {
			return null;
		}
		MiniAppCredentials credentials = found.get();
		if (!credentials.appId().equals(appId)) {
			throw new WeChatMiniAppException(
					"The MiniAppCredentialsRepository answered " + appId + " with the credentials of another app");
		}
		return this.factory.apply(credentials);
	}

	private static UnknownMiniAppException unknown(String appId) {
		return new UnknownMiniAppException("no mini program with app id " + appId);
	}

	@Override
	public String toString() {
		return "MiniApps" + appIds();
	}

}
