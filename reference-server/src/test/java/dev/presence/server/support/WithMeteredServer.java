package dev.presence.server.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** For a test class whose every test gets a fresh server with its Prometheus endpoint on a free loopback port. */
public abstract class WithMeteredServer {
  protected ServerFixture fx;

  @BeforeEach
  final void startServer() throws Exception {
    fx = ServerFixture.startMetered(b -> b);
  }

  @AfterEach
  final void stopServer() throws Exception {
    fx.close();
  }
}
