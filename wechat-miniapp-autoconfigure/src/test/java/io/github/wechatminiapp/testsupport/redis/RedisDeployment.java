package io.github.wechatminiapp.testsupport.redis;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis deployments the stores are tested against: one server, and a cluster of three
 * masters, where every script and multi-key command must keep its keys in one hash slot.
 */
public enum RedisDeployment {

	SINGLE_SERVER {

		@Override
		public Running start() {
			EmbeddedRedis redis = EmbeddedRedis.start();
			return new Running() {

				@Override
				public LettuceConnectionFactory connectionFactory() {
					return redis.connectionFactory();
				}

				@Override
				public void close() {
					redis.close();
				}

			};
		}

	},

	CLUSTER {

		@Override
		public Running start() {
			EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start();
			return new Running() {

				@Override
				public LettuceConnectionFactory connectionFactory() {
					return cluster.connectionFactory();
				}

				@Override
				public void close() {
					cluster.close();
				}

			};
		}

	};

	/**
	 * Starts the deployment on free loopback ports.
	 * @return the running deployment; close it when done
	 */
	public abstract Running start();

	/** A running deployment. */
	public interface Running extends AutoCloseable {

		/** A new connection factory, started; destroy it when done. */
		LettuceConnectionFactory connectionFactory();

		@Override
		void close();

	}

}
