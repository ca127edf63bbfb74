package dev.presence.conformance.selftest;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.driver.Endpoints;
import dev.presence.conformance.driver.GrpcEndpoint;
import dev.presence.conformance.junit.PresenceConformanceTests;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.support.RedisProcess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The kit against three reference server nodes on one Redis: sessions take the nodes in turn, so every directed
 * case with two sessions or more and every scenario puts one room on several nodes.
 *
 * <p>Time: the single-node runs already cover each rule on one node, so this run has 4 scenarios.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterConformanceTest extends PresenceConformanceTests {
  private static final long SEED = 20261205L;
  private final List<RedisProcess> redis = new ArrayList<>();
  private final List<EmbeddedServer> nodes = new ArrayList<>();

  /** @return the Redis processes the nodes share; here one */
  List<RedisProcess> startRedis() throws Exception {
    return List.of(RedisProcess.start());
  }

  @BeforeAll
  void startCluster() throws Exception {
    redis.addAll(startRedis());
    List<String> addresses = redis.stream().map(RedisProcess::uri).toList();
    for (int i = 0; i < 3; i++) {
      nodes.add(EmbeddedServer.start(WebSocketServerConformanceTest.fasterLiveness(ServerConfig.builder()
          .pingIntervalMillis(EmbeddedServerConformanceTest.PING_INTERVAL_MILLIS)).cluster(addresses)));
    }
  }

  @AfterAll
  void stopCluster() throws Exception {
    for (EmbeddedServer node : nodes) {
      node.close();
    }
    for (RedisProcess r : redis) {
      r.close();
    }
  }

  @Override
  protected ConformanceSuite.Builder suite() {
    List<GrpcEndpoint> endpoints = nodes.stream().map(EmbeddedServer::grpcEndpoint).toList();
    return ConformanceSuite.builder(Endpoints.of(endpoints))
        .targetDescription("3 reference server nodes on " + redis.size() + " Redis process(es)")
        .seed(SEED)
        .scenarios(scenarios());
  }

  int scenarios() {
    return 4;
  }
}
