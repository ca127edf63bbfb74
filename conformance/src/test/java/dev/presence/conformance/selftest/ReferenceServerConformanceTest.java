package dev.presence.conformance.selftest;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.junit.PresenceConformanceTests;
import dev.presence.server.config.ServerConfig;
import java.io.IOException;
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

  private EmbeddedServer server;

  @BeforeAll
  void startServer() throws IOException {
    server = EmbeddedServer.start(ServerConfig.builder().pingIntervalMillis(PING_INTERVAL_MILLIS));
  }

  @AfterAll
  void stopServer() throws InterruptedException {
    server.close();
  }

  @Override
  protected ConformanceSuite.Builder suite() {
    return ConformanceSuite.builder(server.grpc())
        .targetDescription("reference server on 127.0.0.1:" + server.port())
        .seed(SEED)
        .scenarios(12);
  }
}
