package dev.presence.conformance.selftest;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.driver.Endpoints;
import dev.presence.server.config.ServerConfig;

/**
 * The kit against both bindings of one reference server at once: sessions take the gRPC and the ws:// endpoint in
 * turn, so every directed case with two sessions or more and every scenario puts both bindings in one room, and
 * PRS-WS-18 runs. Nothing may be NOT-APPLICABLE for want of an endpoint.
 *
 * <p>Time: the gRPC-only and WebSocket-only runs already cover each binding, so this run has 4 scenarios, enough
 * for rooms of mixed bindings under every kind of step, and the WebSocket run's faster liveness settings.
 */
class MixedBindingConformanceTest extends EmbeddedServerConformanceTest {

  private static final long SEED = 20261206L;

  @Override
  ServerConfig.Builder config() {
    return WebSocketServerConformanceTest.fasterLiveness(super.config());
  }

  @Override
  ConformanceSuite.Builder suite(EmbeddedServer server) {
    return ConformanceSuite.builder(Endpoints.of(server.grpcEndpoint(), server.webSocket()))
        .seed(SEED)
        .scenarios(4);
  }
}
