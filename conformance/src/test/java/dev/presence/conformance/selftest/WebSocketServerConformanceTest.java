package dev.presence.conformance.selftest;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.driver.Endpoints;
import dev.presence.server.config.ServerConfig;

/**
 * The kit against the reference server's WebSocket binding alone, over ws:// on loopback: the whole server suite,
 * transcripts included, with the gRPC-only PRS-LIV-8 and the two-binding PRS-WS-18 NOT-APPLICABLE.
 *
 * <p>Time: this class adds about a minute and a half to the build, so the server is set to finish the waits of the
 * liveness cases sooner: leave_detection_millis 6000 (PRS-LIV-1, PRS-LIV-6, PRS-WS-13 each wait about that long;
 * still above the 4 s or so a stalled reader of PRS-TRN-7 or PRS-WS-15 may go without answering a Ping) and a 2 s
 * handshake deadline (PRS-WS-17 allows up to 10 s; the kit's case ends as soon as the server closes). It runs 8
 * scenarios where the gRPC run has 12: the scenario checkers are binding-blind, so these cover the binding's own
 * ends (session_end, Close frames) and the gRPC run covers the rest.
 */
class WebSocketServerConformanceTest extends EmbeddedServerConformanceTest {

  static final int LEAVE_DETECTION_MILLIS = 6000;
  static final int HANDSHAKE_TIMEOUT_MILLIS = 2000;
  private static final long SEED = 20261205L;

  @Override
  ServerConfig.Builder config() {
    return fasterLiveness(super.config());
  }

  /** The settings that make the WebSocket runs' liveness waits shorter. */
  static ServerConfig.Builder fasterLiveness(ServerConfig.Builder config) {
    return config.leaveDetectionMillis(LEAVE_DETECTION_MILLIS).wsHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
  }

  @Override
  ConformanceSuite.Builder suite(EmbeddedServer server) {
    return ConformanceSuite.builder(Endpoints.of(server.webSocket()))
        .seed(SEED)
        .scenarios(8);
  }
}
