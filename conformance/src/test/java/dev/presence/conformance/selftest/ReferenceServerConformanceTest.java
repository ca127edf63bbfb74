package dev.presence.conformance.selftest;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.junit.PresenceConformanceTests;
import dev.presence.server.PresenceServer;
import dev.presence.server.config.ServerConfig;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The kit against the reference server over Netty on loopback, through the kit's own JUnit entry point: every
 * requirement must pass or be skipped for a stated reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferenceServerConformanceTest extends PresenceConformanceTests {

  /** Often enough that scenarios see the server's pings to sessions that declared CAPABILITY_PING. */
  private static final int PING_INTERVAL_MILLIS = 200;
  private static final long SEED = 20261129L;

  private PresenceServer server;
  private ManagedChannel channel;

  @BeforeAll
  void startServer() throws IOException {
    server = PresenceServer.builder(ServerConfig.builder().host("127.0.0.1").port(0)
        .pingIntervalMillis(PING_INTERVAL_MILLIS).build()).build().start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), InsecureChannelCredentials.create())
        .build();
  }

  @AfterAll
  void stopServer() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdown(Duration.ofSeconds(5));
  }

  @Override
  protected ConformanceSuite.Builder suite() {
    return ConformanceSuite.builder(channel)
        .targetDescription("reference server on 127.0.0.1:" + server.port())
        .seed(SEED)
        .scenarios(12)
        .networkFaults("127.0.0.1", server.port(), (host, port) ->
            Grpc.newChannelBuilderForAddress(host, port, InsecureChannelCredentials.create()).build());
  }
}
