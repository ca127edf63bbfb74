package dev.presence.conformance.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.FailureCase;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;
import dev.presence.server.PresenceServer;
import dev.presence.server.config.ServerConfig;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Meta-test of the kit: each deliberately faulty server must be caught by the requirement meant for it, with a
 * shrunk scenario and a wire trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultDetectionTest {

  private static final long SEED = 77L;
  private static final int MAX_MINIMAL_STEPS = 12;

  private PresenceServer server;
  private ManagedChannel upstream;

  @BeforeAll
  void startServer() throws IOException {
    server = PresenceServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).build()).build().start();
    upstream = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), InsecureChannelCredentials.create())
        .build();
  }

  @AfterAll
  void stopServer() throws InterruptedException {
    upstream.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdown(Duration.ofSeconds(5));
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void kitCatchesTheFaultWithTheIntendedRequirement(Fault fault) throws Exception {
    try (FaultyProxy proxy = FaultyProxy.start(fault, upstream)) {
      ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", proxy.port(),
          InsecureChannelCredentials.create()).build();
      java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
      try {
        SuiteResult result = ConformanceSuite.builder(channel)
            .targetDescription("reference server behind " + fault)
            .seed(SEED)
            .scenarios(10)
            .reruns(1)
            .maxShrinkAttempts(60)
            .select(id -> id.equals(fault.requirementId()))
            .progress(new PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8))
            .build()
            .run();

        RequirementResult verdict = result.results().stream()
            .filter(r -> r.requirement().id().equals(fault.requirementId())).findFirst().orElseThrow();
        assertThat(verdict.verdict()).as("%s%n%s", verdict.detail(), log).isIn(Verdict.FAIL, Verdict.FLAKY);
        FailureCase evidence = verdict.failure().orElseThrow();
        assertThat(evidence.minimal()).isNotNull();
        assertThat(evidence.minimal().steps()).hasSizeLessThanOrEqualTo(MAX_MINIMAL_STEPS);
        assertThat(evidence.violations()).allSatisfy(v -> assertThat(v).startsWith(fault.requirementId()));
        assertThat(evidence.trace()).isNotBlank();
        assertThat(result.passed()).isFalse();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
