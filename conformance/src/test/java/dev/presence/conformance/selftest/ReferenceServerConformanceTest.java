package dev.presence.conformance.selftest;

import dev.presence.conformance.ConformanceSuite;

/** The kit against the reference server's gRPC binding on loopback. */
class ReferenceServerConformanceTest extends EmbeddedServerConformanceTest {

  private static final long SEED = 20261129L;

  @Override
  ConformanceSuite.Builder suite(EmbeddedServer server) {
    return ConformanceSuite.builder(server.grpc())
        .targetDescription("reference server on 127.0.0.1:" + server.port())
        .seed(SEED)
        .scenarios(12);
  }
}
