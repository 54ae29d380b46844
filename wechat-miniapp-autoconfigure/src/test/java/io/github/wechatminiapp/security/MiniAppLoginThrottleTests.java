package io.github.wechatminiapp.security;

import java.time.Duration;
import java.time.Instant;

import io.github.wechatminiapp.StoreAccessException;
import io.github.wechatminiapp.test.MutableClock;
import io.github.wechatminiapp.testsupport.redis.EmbeddedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The failed-login bound, in memory and on a real Redis: per address, per window, exact
 * at the edge.
 */
class MiniAppLoginThrottleTests {

	private static final EmbeddedRedis redis = EmbeddedRedis.start();

	private static final LettuceConnectionFactory connectionFactory = redis.connectionFactory();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	@AfterAll
	static void stop() {
		connectionFactory.destroy();
		redis.close();
	}

	@Test
	void inMemoryTheBoundIsExactPerAddressAndWindow() {
		CaffeineMiniAppLoginThrottle throttle = new CaffeineMiniAppLoginThrottle(3, Duration.ofMinutes(1), this.clock);
		assertThat(throttle.blockedFor("10.0.0.1")).isEmpty();
		throttle.recordFailure("10.0.0.1");
		throttle.recordFailure("10.0.0.1");
		assertThat(throttle.blockedFor("10.0.0.1")).isEmpty();
		this.clock.advance(Duration.ofSeconds(20));
		throttle.recordFailure("10.0.0.1");
		// The window began with the first failure: 40 seconds of it are left.
		assertThat(throttle.blockedFor("10.0.0.1")).contains(Duration.ofSeconds(40));
		assertThat(throttle.blockedFor("10.0.0.2")).isEmpty();
		this.clock.advance(Duration.ofSeconds(39));
		assertThat(throttle.blockedFor("10.0.0.1")).contains(Duration.ofSeconds(1));
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(throttle.blockedFor("10.0.0.1")).isEmpty();
		// A new window starts from one.
		throttle.recordFailure("10.0.0.1");
		throttle.recordFailure("10.0.0.1");
		assertThat(throttle.blockedFor("10.0.0.1")).isEmpty();
		throttle.recordFailure("10.0.0.1");
		assertThat(throttle.blockedFor("10.0.0.1")).contains(Duration.ofMinutes(1));
	}

	@Test
	void inMemorySettingsAreChecked() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CaffeineMiniAppLoginThrottle(0, Duration.ofMinutes(1), this.clock));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CaffeineMiniAppLoginThrottle(1, Duration.ofMillis(999), this.clock));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CaffeineMiniAppLoginThrottle(1, Duration.ofMinutes(1), null));
		CaffeineMiniAppLoginThrottle one = new CaffeineMiniAppLoginThrottle(1, Duration.ofSeconds(1), this.clock);
		one.recordFailure("a");
		assertThat(one.blockedFor("a")).contains(Duration.ofSeconds(1));
	}

	@Test
	void onRedisTheBoundIsSharedAndExpiresWithItsWindow() throws Exception {
		StringRedisTemplate template = new StringRedisTemplate(connectionFactory);
		template.afterPropertiesSet();
		RedisMiniAppLoginThrottle one = new RedisMiniAppLoginThrottle(template, "t1:", 3, Duration.ofSeconds(2));
		RedisMiniAppLoginThrottle other = new RedisMiniAppLoginThrottle(template, "t1:", 3, Duration.ofSeconds(2));
		assertThat(one.blockedFor("10.0.0.1")).isEmpty();
		one.recordFailure("10.0.0.1");
		other.recordFailure("10.0.0.1");
		assertThat(one.blockedFor("10.0.0.1")).isEmpty();
		other.recordFailure("10.0.0.1");
		assertThat(one.blockedFor("10.0.0.1")).get()
			.satisfies((wait) -> assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(2)));
		assertThat(other.blockedFor("10.0.0.2")).isEmpty();
		assertThat(template.keys("t1:*")).containsExactly("t1:login-failures:10.0.0.1");
		assertThat(template.getExpire("t1:login-failures:10.0.0.1")).isPositive();
		Thread.sleep(2100);
		assertThat(one.blockedFor("10.0.0.1")).isEmpty();
		assertThat(template.keys("t1:*")).isEmpty();
	}

	@Test
	void onRedisACounterWithoutExpiryWaitsOneWindow() {
		StringRedisTemplate template = new StringRedisTemplate(connectionFactory);
		template.afterPropertiesSet();
		template.opsForValue().set("t2:login-failures:a", "5");
		RedisMiniAppLoginThrottle throttle = new RedisMiniAppLoginThrottle(template, "t2:", 5, Duration.ofSeconds(30));
		assertThat(throttle.blockedFor("a")).contains(Duration.ofSeconds(30));
		template.opsForValue().set("t2:login-failures:a", "4");
		assertThat(throttle.blockedFor("a")).isEmpty();
		template.delete("t2:login-failures:a");
	}

	@Test
	void aRedisThatFailsIsAStoreAccessException() {
		LettuceConnectionFactory nowhere = new LettuceConnectionFactory("127.0.0.1", 1);
		nowhere.afterPropertiesSet();
		try {
			StringRedisTemplate template = new StringRedisTemplate(nowhere);
			template.afterPropertiesSet();
			RedisMiniAppLoginThrottle throttle = new RedisMiniAppLoginThrottle(template, "t3:", 3,
					Duration.ofMinutes(1));
			assertThatExceptionOfType(StoreAccessException.class).isThrownBy(() -> throttle.blockedFor("a"));
			assertThatExceptionOfType(StoreAccessException.class).isThrownBy(() -> throttle.recordFailure("a"));
		}
		finally {
			nowhere.destroy();
		}
	}

	@Test
	void redisSettingsAreChecked() {
		StringRedisTemplate template = new StringRedisTemplate(connectionFactory);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RedisMiniAppLoginThrottle(null, "p:", 1, Duration.ofMinutes(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RedisMiniAppLoginThrottle(template, "p:", 0, Duration.ofMinutes(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RedisMiniAppLoginThrottle(template, "p:", 1, Duration.ofMillis(999)));
	}

}
