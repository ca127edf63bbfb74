package dev.presence.conformance.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.Coverage;
import dev.presence.conformance.driver.Credentials;
import dev.presence.server.config.AuthMode;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import dev.presence.conformance.FailureCase;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.Verdict;
import dev.presence.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Meta-test of the kit: each deliberately faulty server must be caught by the requirement meant for it, with a
 * wire trace and, for requirements the random scenarios judge, a shrunk scenario.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The resources close by waiting for a server to stop; an interrupt then fails the test, as it should.
@SuppressWarnings("try")
class FaultDetectionTest {

  /** Often enough that scenarios see the server's pings to sessions that declared CAPABILITY_PING. */
  private static final int PING_INTERVAL_MILLIS = 200;
  /**
   * The kit reads the leave bound from opened and waits it out in the scenarios of the liveness and leave faults;
   * a bound shorter than the default keeps the build short and changes nothing the kit judges.
   */
  private static final int LEAVE_DETECTION_MILLIS = 3_000;
  private static final long SEED = 77L;
  private static final int MAX_MINIMAL_STEPS = 12;

  private static final String JWT_SECRET = "conformance-self-test-secret-of-32+-bytes";

  private EmbeddedServer server;
  private EmbeddedServer jwtServer;
  private ManagedChannel upstream;
  private ManagedChannel jwtUpstream;

  @BeforeAll
  void startServers() throws IOException {
    server = EmbeddedServer.start(liveness(ServerConfig.builder()));
    jwtServer = EmbeddedServer.start(liveness(ServerConfig.builder())
        .authMode(AuthMode.JWT).jwtSecret(JWT_SECRET));
    upstream = server.channel();
    jwtUpstream = jwtServer.channel();
  }

  private static ServerConfig.Builder liveness(ServerConfig.Builder builder) {
    return builder.pingIntervalMillis(PING_INTERVAL_MILLIS).leaveDetectionMillis(LEAVE_DETECTION_MILLIS);
  }

  @AfterAll
  void stopServers() throws InterruptedException {
    server.close();
    jwtServer.close();
  }

  private static ManagedChannel channelTo(int port) {
    return EmbeddedServer.channelTo(port);
  }

  private static String token(String user) {
    return signedFor("jwt-" + user);
  }

  private static String signedFor(String subject) {
    return Jwts.builder().subject(subject).claim("name", "JWT " + subject)
        .expiration(Date.from(Instant.now().plusSeconds(3600)))
        .signWith(Keys.hmacShaKeyFor(JWT_SECRET.getBytes(StandardCharsets.UTF_8))).compact();
  }

  // Each fault has its own proxy, rooms and channel, and the kit mostly waits on the network, so faults can be
  // checked side by side against the shared upstream servers.
  @ParameterizedTest
  @EnumSource(Fault.class)
  @Execution(ExecutionMode.CONCURRENT)
  void kitCatchesTheFaultWithTheIntendedRequirement(Fault fault) throws Exception {
    try (FaultyProxy proxy = FaultyProxy.start(fault, fault.needsVerifiedIdentity() ? jwtUpstream : upstream,
        FaultDetectionTest::signedFor)) {
      ManagedChannel channel = channelTo(proxy.port());
      java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
      try {
        SuiteResult result = ConformanceSuite.builder(
                dev.presence.conformance.driver.Endpoints.of(EmbeddedServer.grpcAt(channel, proxy.port())))
            .targetDescription("reference server behind " + fault)
            .seed(SEED)
            .scenarios(20)
            .reruns(1)
            .maxShrinkAttempts(60)
            .timing(fault.timing())
            .select(id -> id.equals(fault.requirementId()))
            .credentials(fault.needsVerifiedIdentity() ? Credentials.bearerTokens(FaultDetectionTest::token)
                : Credentials.devIdentity("selftest-"))
            .progress(new PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8))
            .build()
            .run();

        RequirementResult verdict = result.results().stream()
            .filter(r -> r.requirement().id().equals(fault.requirementId())).findFirst().orElseThrow();
        assertThat(verdict.verdict()).as("%s%n%s", verdict.detail(), log).isIn(Verdict.FAIL, Verdict.FLAKY);
        FailureCase evidence = verdict.failure().orElseThrow();
        // Directed cases run first, so a rule judged both ways (PRS-FOL-4) is charged by its directed case, which
        // has a trace but no scenario to shrink.
        if (Coverage.scenarioChecked().contains(fault.requirementId())
            && !Coverage.directlyChecked().contains(fault.requirementId())) {
          assertThat(evidence.minimal()).isNotNull();
          assertThat(((dev.presence.conformance.scenario.Scenario) evidence.minimal()).steps())
              .hasSizeLessThanOrEqualTo(MAX_MINIMAL_STEPS);
          assertThat(evidence.violations()).allSatisfy(v -> assertThat(v).startsWith(fault.requirementId()));
        }
        if (!fault.evidence().isEmpty()) {
          assertThat(evidence.violations()).anyMatch(v -> v.contains(fault.evidence()));
        }
        assertThat(evidence.trace()).isNotBlank();
        assertThat(result.passed()).isFalse();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
