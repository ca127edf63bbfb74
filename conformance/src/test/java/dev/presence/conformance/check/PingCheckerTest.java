package dev.presence.conformance.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.driver.RunRecord;
import dev.presence.conformance.driver.Timing;
import dev.presence.conformance.history.EndKind;
import dev.presence.conformance.history.Observation;
import dev.presence.conformance.scenario.Scenario;
import dev.presence.conformance.scenario.Step;
import dev.presence.conformance.spec.SpecDocument;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Limits;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.Ping;
import dev.presence.protocol.v1.Pong;
import dev.presence.protocol.v1.User;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ping and capability checkers over hand-made traces of sessions that declared CAPABILITY_PING or not. */
class PingCheckerTest {

  private static final long INTERVAL_MILLIS = 200;
  private static final long LEAVE_DETECTION_MILLIS = 2000;

  /** s1 (u1) declares CAPABILITY_PING, s2 (u2) does not; both join at step 0 and 1 and idle through step 2. */
  private static final class Trace {
    private final List<Step> steps = new ArrayList<>(List.of(
        new Step.Join("s1", "u1", "r1", true), new Step.Join("s2", "u2", "r1", false),
        new Step.Update("s1", List.of())));
    private final List<Observation> history = new ArrayList<>();
    private long nanos;

    Trace() {
      step(0).opened("s1", "u1", true).step(1).opened("s2", "u2", false).step(2);
    }

    Trace at(long millis) {
      nanos = TimeUnit.MILLISECONDS.toNanos(millis);
      return this;
    }

    Trace step(int index) {
      history.add(new Observation.StepStarted(nanos, index, steps.get(index).toString()));
      return this;
    }

    Trace opened(String session, String user, boolean granted) {
      Opened.Builder opened = Opened.newBuilder().setSessionId("id-" + session)
          .setSelf(User.newBuilder().setUserId(user)).setProtocolVersion(1).addMembers(User.newBuilder()
              .setUserId(user))
          .setLimits(Limits.newBuilder().setThrottleWindowMillis(50).setLeaveDetectionMillis((int) LEAVE_DETECTION_MILLIS)
              .setPingIntervalMillis((int) INTERVAL_MILLIS));
      if (granted) {
        opened.addCapabilities(Capability.CAPABILITY_PING);
      }
      return received(session, ConnectResponse.newBuilder().setOpened(opened).build());
    }

    Trace serverPing(String session, long nonce) {
      return received(session, ConnectResponse.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build());
    }

    Trace kitPong(String session, long nonce) {
      history.add(new Observation.Sent(nanos, session,
          ConnectRequest.newBuilder().setPong(Pong.newBuilder().setNonce(nonce)).build()));
      return this;
    }

    Trace kitPing(String session, long nonce) {
      history.add(new Observation.Sent(nanos, session,
          ConnectRequest.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build()));
      return this;
    }

    Trace serverPong(String session, long nonce) {
      return received(session, ConnectResponse.newBuilder().setPong(Pong.newBuilder().setNonce(nonce)).build());
    }

    Trace pingTimeout(String session) {
      history.add(new Observation.Ended(nanos, session, Status.Code.DEADLINE_EXCEEDED, "PING_TIMEOUT", Map.of(),
          "no pong"));
      return this;
    }

    Trace received(String session, ConnectResponse frame) {
      history.add(new Observation.Received(nanos, session, frame));
      return this;
    }

    RunAnalysis analysis() {
      return new RunAnalysis(new RunRecord(new Scenario(steps), history, Map.of("u1", "u1", "u2", "u2"), 50, 1,
          Timing.defaults(), -1, ""));
    }
  }

  @Test
  void pingsPacedAndAnsweredOnlyOnTheDeclaringSessionPass() {
    RunAnalysis run = new Trace()
        .at(200).serverPing("s1", 1).kitPong("s1", 1)
        .at(400).serverPing("s1", 2).at(401).kitPong("s1", 2)
        .at(410).kitPing("s2", 7).at(411).serverPong("s2", 7)
        .analysis();

    for (Checker checker : List.of(PingChecker.echoesNonce(), PingChecker.onlyWhenDeclared(), PingChecker.paced(),
        new CapabilityChecker(), new UnexpectedEndChecker())) {
      assertThat(checker.check(run)).as(checker.requirementId()).isEmpty();
    }
  }

  @Test
  void aPingToASessionThatDidNotDeclareTheCapabilityIsLiv4() {
    RunAnalysis run = new Trace().at(200).serverPing("s2", 1).analysis();

    assertThat(PingChecker.onlyWhenDeclared().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("s2 received a server ping"));
    assertThat(PingChecker.paced().check(run)).isEmpty();
  }

  @Test
  void aPingTimeoutOfASessionThatDidNotDeclareIsLiv4AndNotAnUnexpectedEnd() {
    RunAnalysis run = new Trace().at(3000).pingTimeout("s2").analysis();

    assertThat(PingChecker.onlyWhenDeclared().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("PING_TIMEOUT"));
    assertThat(new UnexpectedEndChecker().check(run)).isEmpty();
  }

  @Test
  void pingsCloserThanTheIntervalAreATimingMissOfLiv6() {
    RunAnalysis run = new Trace()
        .at(200).serverPing("s1", 1).kitPong("s1", 1)
        .at(250).serverPing("s1", 2).kitPong("s1", 2)
        .analysis();

    assertThat(PingChecker.paced().check(run)).singleElement().satisfies(v -> {
      assertThat(v.message()).contains("50.0 ms apart").contains("ping_interval_millis is 200");
      assertThat(v.timingMiss()).hasValueSatisfying(m ->
          assertThat(m.missNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200 - 20 - 50)));
    });
  }

  @Test
  void pingsWithinTheSpacingToleranceOfTheIntervalPass() {
    RunAnalysis run = new Trace()
        .at(200).serverPing("s1", 1).kitPong("s1", 1)
        .at(385).serverPing("s1", 2).kitPong("s1", 2)
        .analysis();

    assertThat(PingChecker.paced().check(run)).isEmpty();
  }

  @Test
  void aPingTimeoutThoughEveryPingWasAnsweredIsLiv6() {
    RunAnalysis run = new Trace()
        .at(200).serverPing("s1", 1).kitPong("s1", 1)
        .at(5000).pingTimeout("s1")
        .analysis();

    assertThat(PingChecker.paced().check(run)).singleElement().satisfies(v -> {
      assertThat(v.message()).contains("answered every server ping");
      assertThat(v.timingMiss()).isEmpty();
    });
    assertThat(PingChecker.onlyWhenDeclared().check(run)).isEmpty();
  }

  @Test
  void aPingTimeoutSoonerThanTheRuleAllowsAfterAnUnansweredPingIsATimingMissOfLiv6() {
    RunAnalysis run = new Trace().at(200).serverPing("s1", 1).at(700).pingTimeout("s1").analysis();

    assertThat(PingChecker.paced().check(run)).singleElement().satisfies(v -> {
      assertThat(v.message()).contains("500.0 ms after an unanswered ping").contains("is 1800 ms");
      assertThat(v.timingMiss()).hasValueSatisfying(m ->
          assertThat(m.missNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1800 - 20 - 500)));
    });
  }

  @Test
  void aPingTimeoutAfterTheFullPatienceOrAfterTheNetworkWasCutPasses() {
    RunAnalysis patient = new Trace().at(200).serverPing("s1", 1).at(2000).pingTimeout("s1").analysis();
    assertThat(PingChecker.paced().check(patient)).isEmpty();

    Trace cut = new Trace();
    cut.steps.add(new Step.End("s1", EndKind.NETWORK_BLACKHOLE));
    RunAnalysis blackholed = cut.at(200).serverPing("s1", 1).kitPong("s1", 1).step(3).at(900).pingTimeout("s1")
        .analysis();
    assertThat(PingChecker.paced().check(blackholed)).isEmpty();
  }

  @Test
  void aPongWhoseNonceNoPingCarriedIsLiv3() {
    RunAnalysis run = new Trace().at(300).kitPing("s2", 7).at(301).serverPong("s2", 0).analysis();

    assertThat(PingChecker.echoesNonce().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("nonce 0").contains("[7]"));
  }

  @Test
  void aCapabilityGrantedToASessionThatDidNotDeclareItIsEvo5() {
    Trace trace = new Trace();
    trace.history.clear();
    RunAnalysis run = trace.step(0).opened("s1", "u1", true).step(1).opened("s2", "u2", true).analysis();

    assertThat(new CapabilityChecker().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("s2").contains("CAPABILITY_PING"));
  }

  @Test
  void everyQuotedClauseIsWordForWordInItsRule() {
    SpecDocument spec = SpecDocument.bundled();
    for (Checker checker : List.of(PingChecker.echoesNonce(), PingChecker.onlyWhenDeclared(), PingChecker.paced(),
        new CapabilityChecker())) {
      String text = spec.requirement(checker.requirementId()).orElseThrow().text().replaceAll("\\s+", " ");
      assertThat(checker.clauses()).isNotEmpty().allSatisfy(clause -> assertThat(text).contains(clause));
    }
  }
}
