package io.github.wechatminiapp.testsupport.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import redis.embedded.RedisServer;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A real Redis Cluster of three masters (the {@code redis-server} binary shipped by
 * embedded-redis, started with {@code cluster-enabled yes} on free loopback ports), for
 * tests. There is no {@code redis-cli} in that binary set, so the cluster is made the way
 * {@code redis-cli --cluster create} makes it: each master is given a third of the 16384
 * slots ({@code CLUSTER ADDSLOTS}) and introduced to the others ({@code CLUSTER MEET});
 * then the cluster is waited for until every node says {@code cluster_state:ok} and knows
 * all three.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {

	private static final int SLOTS = 16384;

	private static final int MASTERS = 3;

	private final Path directory;

	private final List<Integer> ports = new ArrayList<>();

	private final List<RedisServer> servers = new ArrayList<>();

	private EmbeddedRedisCluster(Path directory) {
		this.directory = directory;
	}

	public static EmbeddedRedisCluster start() {
		EmbeddedRedisCluster cluster;
		try {
			cluster = new EmbeddedRedisCluster(Files.createTempDirectory("redis-cluster"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		try {
			cluster.startServers();
			cluster.join();
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	public List<Integer> ports() {
		return List.copyOf(this.ports);
	}

	/** What Spring Boot needs to connect to the cluster. */
	public String[] springProperties() {
		return new String[] {
				"spring.data.redis.cluster.nodes="
						+ String.join(",", this.ports.stream().map((port) -> "127.0.0.1:" + port).toList()),
				"spring.data.redis.timeout=5s", "spring.data.redis.connect-timeout=2s" };
	}

	/** A connection factory for the cluster, started; destroy it when done. */
	public LettuceConnectionFactory connectionFactory() {
		RedisClusterConfiguration configuration = new RedisClusterConfiguration(
				this.ports.stream().map((port) -> "127.0.0.1:" + port).toList());
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private void startServers() {
		for (int i = 0; i < MASTERS; i++) {
			int port = EmbeddedRedis.freePort();
			Path dir = this.directory.resolve(Integer.toString(port));
			try {
				Files.createDirectories(dir);
				RedisServer server = RedisServer.newRedisServer()
					.port(port)
					.bind("127.0.0.1")
					.setting("save \"\"")
					.setting("appendonly no")
					.setting("cluster-enabled yes")
					.setting("cluster-config-file nodes-" + port + ".conf")
					.setting("cluster-node-timeout 5000")
					.setting("dir " + dir.toAbsolutePath())
					.build();
				this.servers.add(server);
				server.start();
				this.ports.add(port);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	private void join() {
		RedisClient client = RedisClient.create();
		try {
			List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
			for (int port : this.ports) {
				connections.add(client.connect(RedisURI.create("127.0.0.1", port)));
			}
			for (int i = 0; i < MASTERS; i++) {
				int from = i * SLOTS / MASTERS;
				int to = (i + 1) * SLOTS / MASTERS;
				connections.get(i).sync().clusterAddSlots(IntStream.range(from, to).toArray());
			}
			for (int i = 1; i < MASTERS; i++) {
				connections.get(0).sync().clusterMeet("127.0.0.1", this.ports.get(i));
			}
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!connections.stream().allMatch(EmbeddedRedisCluster::ready)) {
				if (System.nanoTime() - deadline > 0) {
					throw new IllegalStateException("The Redis Cluster on ports " + this.ports + " did not form: "
							+ connections.get(0).sync().clusterInfo());
				}
				Thread.sleep(50);
			}
			connections.forEach(StatefulRedisConnection::close);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			client.shutdown();
		}
	}

	private static boolean ready(StatefulRedisConnection<String, String> connection) {
		String info = connection.sync().clusterInfo();
		return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + MASTERS)
				&& info.contains("cluster_slots_ok:" + SLOTS);
	}

	@Override
	public void close() {
		for (RedisServer server : this.servers) {
			try {
				server.stop();
			}
			catch (IOException ex) {
				// Stopping the others matters more.
			}
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// A temporary directory left behind.
		}
	}

}
