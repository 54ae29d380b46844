package io.github.wechatminiapp.apps;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.springframework.util.Assert;

/**
 * Several repositories asked in turn, the first that knows an app answering: static apps
 * (an {@link InMemoryMiniAppCredentialsRepository} of the properties) beside runtime ones
 * (a database). The apps it lists, and so builds at startup, are those of its
 * {@link Iterable} repositories; the others are asked on first use.
 */
public final class CompositeMiniAppCredentialsRepository
		implements MiniAppCredentialsRepository, Iterable<MiniAppCredentials> {

	private final List<MiniAppCredentialsRepository> repositories;

	/**
	 * Asks the repositories in the given order.
	 * @param repositories the repositories, at least one
	 */
	public CompositeMiniAppCredentialsRepository(MiniAppCredentialsRepository... repositories) {
		Assert.notEmpty(repositories, "repositories must not be empty");
		Assert.noNullElements(repositories, "repositories must not contain null");
		this.repositories = List.of(repositories);
	}

	@Override
	public Optional<MiniAppCredentials> findByAppId(String appId) {
		for (MiniAppCredentialsRepository repository : this.repositories) {
			Optional<MiniAppCredentials> found = repository.findByAppId(appId);
			if (found != null && found.isPresent()) {
				return found;
			}
		}
		return Optional.empty();
	}

	/**
	 * The apps of the repositories that list theirs.
	 * @return an iterator over them, the first repository's first
	 */
	@Override
	public Iterator<MiniAppCredentials> iterator() {
		List<MiniAppCredentials> listed = new ArrayList<>();
		for (MiniAppCredentialsRepository repository : this.repositories) {
			if (repository instanceof Iterable<?> iterable) {
				for (Object app : iterable) {
					listed.add((MiniAppCredentials) app);
				}
			}
		}
		return listed.iterator();
	}

}
