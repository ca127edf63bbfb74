package dev.presence.conformance.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;
import dev.presence.conformance.driver.Endpoints;
import dev.presence.conformance.driver.WebSocketEndpoint;
import dev.presence.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Meta-test of the kit's WebSocket checks: each deliberately faulty WebSocket server must be caught by the
 * requirement meant for it, with a wire trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketFaultDetectionTest {

  private static final long SEED = 78L;

  private EmbeddedServer server;

  @BeforeAll
  void startServer() throws IOException {
    server = EmbeddedServer.start(ServerConfig.builder());
  }

  @AfterAll
  void stopServer() throws InterruptedException {
    server.close();
  }

  // Each fault has its own proxy and rooms, and the kit mostly waits on the network, so faults run side by side.
  @ParameterizedTest
  @EnumSource(WebSocketFault.class)
  @Execution(ExecutionMode.CONCURRENT)
  void kitCatchesTheFaultWithTheIntendedRequirement(WebSocketFault fault) throws Exception {
    try (FaultyWebSocketProxy proxy = FaultyWebSocketProxy.start(fault, server.server().wsPort())) {
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      SuiteResult result = ConformanceSuite.builder(Endpoints.of(WebSocketEndpoint.loopback(proxy.port())))
          .targetDescription("reference server behind " + fault)
          .seed(SEED)
          .scenarios(2)
          .reruns(1)
          .maxShrinkAttempts(0)
          .select(id -> id.equals(fault.requirementId()))
          .progress(new PrintStream(log, true, StandardCharsets.UTF_8))
          .build()
          .run();

      RequirementResult verdict = result.results().stream()
          .filter(r -> r.requirement().id().equals(fault.requirementId())).findFirst().orElseThrow();
      assertThat(verdict.verdict()).as("%s%n%s", verdict.detail(), log).isIn(Verdict.FAIL, Verdict.FLAKY);
      assertThat(verdict.failure().orElseThrow().trace()).isNotBlank();
      assertThat(result.passed()).isFalse();
    }
  }
}
