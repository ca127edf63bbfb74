package dev.presence.conformance.selftest;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.junit.PresenceConformanceTests;
import dev.presence.server.config.ServerConfig;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The kit against a reference server on loopback through the kit's own JUnit entry point, at the endpoints a
 * subclass picks: every requirement must pass or be skipped for a stated reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EmbeddedServerConformanceTest extends PresenceConformanceTests {

  /** Often enough that scenarios see the server's pings to sessions that declared CAPABILITY_PING. */
  static final int PING_INTERVAL_MILLIS = 200;

  private EmbeddedServer server;

  @BeforeAll
  void startServer() throws IOException {
    server = EmbeddedServer.start(config());
  }

  @AfterAll
  void stopServer() throws InterruptedException {
    server.close();
  }

  /** Returns the server's settings. */
  ServerConfig.Builder config() {
    return ServerConfig.builder().pingIntervalMillis(PING_INTERVAL_MILLIS);
  }

  /** Returns the suite to run against the started server. */
  abstract ConformanceSuite.Builder suite(EmbeddedServer server);

  @Override
  protected final ConformanceSuite.Builder suite() {
    return suite(server);
  }
}
