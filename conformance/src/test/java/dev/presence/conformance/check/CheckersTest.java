package dev.presence.conformance.check;

import static dev.presence.conformance.check.HistoryFixture.nullEvent;
import static dev.presence.conformance.check.HistoryFixture.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.check.SettledViewChecker.Cause;
import dev.presence.conformance.history.EndKind;
import dev.presence.conformance.history.Observation;
import dev.presence.conformance.scenario.Step;
import dev.presence.conformance.scenario.TargetSpec;
import dev.presence.protocol.v1.NullReason;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CheckersTest {

  private static final Step JOIN_1 = new Step.Join("s1", "u1", "r1");
  private static final Step JOIN_2 = new Step.Join("s2", "u2", "r1");
  private static final Step SUB_2 = new Step.Subscribe("s2", "a", TargetSpec.all());
  private static final Step UPDATE_1 = new Step.Update("s1", List.of(5, 5));

  /** s2 watches '*' while s1 (u1) sends a three-update burst at step 3; the caller adds what s2 received. */
  private static HistoryFixture burst() {
    return new HistoryFixture(JOIN_1, JOIN_2, SUB_2, UPDATE_1, new Step.End("s1", EndKind.CANCEL))
        .at(0).step(0).opened("s1", "u1").settled(0)
        .step(1).opened("s2", "u2", "u1").joined("s1", "u2").settled(1)
        .step(2).subscribedAll("s2", "a").settled(2)
        .at(100).step(3).update("s1", 3, 0).at(105).update("s1", 3, 1).at(110).update("s1", 3, 2);
  }

  @Test
  void correctThrottledDeliveryPassesEveryChecker() {
    RunAnalysis run = burst()
        .at(102).events("s2", state("u1", "s1", 3, 0))
        .at(152).events("s2", state("u1", "s1", 3, 2))
        .settled(3)
        .at(200).step(4).at(210).events("s2", nullEvent("u1", NullReason.NULL_REASON_LEFT)).settled(4)
        .analysis();

    for (Checker checker : Checkers.all()) {
      assertThat(checker.check(run)).as(checker.requirementId()).isEmpty();
    }
  }

  @Test
  void spacingCheckerCatchesAnUnthrottledServer() {
    RunAnalysis run = burst()
        .at(101).events("s2", state("u1", "s1", 3, 0))
        .at(106).events("s2", state("u1", "s1", 3, 1))
        .at(111).events("s2", state("u1", "s1", 3, 2))
        .settled(3).analysis();

    assertThat(SpacingChecker.states().check(run))
        .hasSize(2)
        .first().satisfies(v -> assertThat(v.message()).contains("5.0 ms apart"));
  }

  @Test
  void settledViewCatchesADroppedTrailingUpdateAsThr3() {
    RunAnalysis run = burst().at(101).events("s2", state("u1", "s1", 3, 0)).at(300).settled(3).analysis();

    assertThat(new SettledViewChecker("PRS-THR-3", Cause.UPDATE).check(run))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("should hold the state of s1@3.2").contains("s1@3.0"));
    assertThat(new SettledViewChecker("PRS-END-2", Cause.LAST_SESSION_ENDED).check(run)).isEmpty();
  }

  @Test
  void aTrailingUpdateArrivingAfterTheBoundIsATimingMissOfItsLateness() {
    RunAnalysis run = burst().at(101).events("s2", state("u1", "s1", 3, 0))
        .at(350).deadlinePassed(3, 250)
        .at(420).events("s2", state("u1", "s1", 3, 2)).settled(3).analysis();

    assertThat(new SettledViewChecker("PRS-THR-3", Cause.UPDATE).check(run))
        .singleElement()
        .satisfies(v -> {
          assertThat(v.timingMiss()).hasValueSatisfying(m -> {
            assertThat(m.missNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(70));
            assertThat(m.fromNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
            assertThat(m.toNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(420));
          });
          assertThat(v.message()).contains("arrived late, 70.0 ms past the bound of 250 ms");
        });
  }

  @Test
  void aTrailingUpdateStillMissingWhenTheKitStopsWaitingIsATimingMissOfTheWholeWait() {
    RunAnalysis run = burst().at(101).events("s2", state("u1", "s1", 3, 0))
        .at(350).deadlinePassed(3, 250).at(850).settled(3).analysis();

    assertThat(new SettledViewChecker("PRS-THR-3", Cause.UPDATE).check(run))
        .singleElement()
        .satisfies(v -> assertThat(v.timingMiss()).hasValueSatisfying(m ->
            assertThat(m.missNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500))));
  }

  @Test
  void aMismatchTheRunnerNeverSawUnsettledIsLogical() {
    RunAnalysis run = burst().at(101).events("s2", state("u1", "s1", 3, 0)).at(300).settled(3).analysis();

    assertThat(new SettledViewChecker("PRS-THR-3", Cause.UPDATE).check(run))
        .singleElement().satisfies(v -> assertThat(v.timingMiss()).isEmpty());
  }

  @Test
  void spacingViolationsCarryHowMuchTooCloseTheEventsCame() {
    RunAnalysis run = burst()
        .at(101).events("s2", state("u1", "s1", 3, 0))
        .at(106).events("s2", state("u1", "s1", 3, 2))
        .settled(3).analysis();

    // The window is 50 ms and the default tolerance 20 ms, so events 5 ms apart came 25 ms too close.
    assertThat(SpacingChecker.states().check(run)).singleElement().satisfies(v ->
        assertThat(v.timingMiss()).hasValueSatisfying(m -> {
          assertThat(m.missNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(25));
          assertThat(m.fromNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(51));
        }));
  }

  @Test
  void orderCheckerCatchesReorderedStates() {
    RunAnalysis run = burst()
        .at(101).events("s2", state("u1", "s1", 3, 2))
        .at(160).events("s2", state("u1", "s1", 3, 1))
        .settled(3).analysis();

    assertThat(new OrderChecker().check(run))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("s1@3.1 after the later state of s1@3.2"));
  }

  @Test
  void endedSessionWithoutNullIsChargedToEnd2() {
    RunAnalysis run = burst()
        .at(101).events("s2", state("u1", "s1", 3, 2)).settled(3)
        .at(200).step(4).at(900).settled(4).analysis();

    assertThat(new SettledViewChecker("PRS-END-2", Cause.LAST_SESSION_ENDED).check(run))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("should hold nothing for u1"));
  }

  @Test
  void nullCheckersSeparateNeverSeenFromDuplicate() {
    RunAnalysis duplicate = burst()
        .at(101).events("s2", state("u1", "s1", 3, 2)).settled(3)
        .at(200).step(4)
        .at(210).events("s2", nullEvent("u1", NullReason.NULL_REASON_LEFT))
        .at(270).events("s2", nullEvent("u1", NullReason.NULL_REASON_LEFT))
        .settled(4).analysis();
    RunAnalysis spurious = new HistoryFixture(JOIN_1, JOIN_2, SUB_2)
        .step(0).opened("s1", "u1").settled(0)
        .step(1).opened("s2", "u2", "u1").settled(1)
        .step(2).subscribedAll("s2", "a", nullEvent("u1", NullReason.NULL_REASON_CLEARED, "a")).settled(2)
        .events("s2", nullEvent("u1", NullReason.NULL_REASON_CLEARED))
        .analysis();

    assertThat(NullChecker.duplicate().check(duplicate)).hasSize(1);
    assertThat(NullChecker.spurious().check(duplicate)).isEmpty();
    assertThat(NullChecker.spurious().check(spurious)).hasSize(1);
    assertThat(NullChecker.duplicate().check(spurious)).isEmpty();
  }

  @Test
  void scopeCheckersCatchLeaksAndCrossRoomEvents() {
    HistoryFixture fixture = new HistoryFixture(JOIN_1, JOIN_2,
        new Step.Subscribe("s2", "a", TargetSpec.user("u3")), new Step.Join("s3", "u4", "r2"),
        new Step.Update("s1", List.of()), new Step.Update("s3", List.of()))
        .step(0).opened("s1", "u1").settled(0)
        .step(1).opened("s2", "u2", "u1").settled(1)
        .step(2).subscribedAll("s2", "a").settled(2)
        .step(3).opened("s3", "u4").settled(3)
        .step(4).update("s1", 4, 0).events("s2", state("u1", "s1", 4, 0)).settled(4)
        .step(5).update("s3", 5, 0).events("s2", state("u4", "s3", 5, 0)).settled(5);
    RunAnalysis run = fixture.analysis();

    assertThat(ScopeChecker.filtering().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("about u1"));
    assertThat(ScopeChecker.roomIsolation().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("about u4, who was never in that room"));
  }

  /**
   * The kit gave up waiting for a snapshot_complete that did come: the model never applies the stopped step, so its
   * snapshot must not be judged against the scope before it.
   */
  @Test
  void whatAStoppedStepReceivedIsNotJudged() {
    HistoryFixture fixture = new HistoryFixture(JOIN_1, JOIN_2, new Step.Update("s1", List.of()),
        new Step.Subscribe("s2", "a", TargetSpec.user("u1")))
        .step(0).opened("s1", "u1").settled(0)
        .step(1).opened("s2", "u2", "u1").settled(1)
        .step(2).update("s1", 2, 0).settled(2)
        .step(3).subscribedAll("s2", "a", state("u1", "s1", 2, 0, "a"));

    RunAnalysis stopped = fixture.analysisStoppedAt(3, "no snapshot_complete for a within 5000 ms");

    assertThat(ScopeChecker.filtering().check(stopped)).isEmpty();
    assertThat(stopped.history()).noneMatch(o -> o instanceof Observation.StepStarted s && s.index() == 3);
    assertThat(ScopeChecker.filtering().check(fixture.analysis())).isEmpty();
  }

  @Test
  void aRequestThatWasNeverAnsweredFailsTheAnswerRule() {
    HistoryFixture fixture = new HistoryFixture(JOIN_1, JOIN_2, new Step.Follow("s2", "u1"))
        .step(0).opened("s1", "u1").settled(0)
        .step(1).opened("s2", "u2", "u1").settled(1)
        .step(2).sent("s2", dev.presence.protocol.v1.ConnectRequest.newBuilder().setRequestId(7)
            .setFollow(dev.presence.protocol.v1.Follow.newBuilder().setUserId("u1")).build())
        .at(5000).observe(nanos -> new Observation.Unanswered(nanos, "s2", 7, "ack of follow", 5000));

    assertThat(AnswerChecker.kinds().check(fixture.analysisStoppedAt(2, "no ack of follow within 5000 ms")))
        .singleElement().satisfies(v -> {
          assertThat(v.stepIndex()).isEqualTo(2);
          assertThat(v.message()).contains("s2 got no ack of follow (request_id or nonce 7) in 5000 ms");
        });
    assertThat(AnswerChecker.kinds().check(fixture.analysis())).isEmpty();
  }

  @Test
  void tabCloseCheckerCatchesLeaveWhileAnotherTabLives() {
    RunAnalysis run = new HistoryFixture(JOIN_1, new Step.Join("s3", "u1", "r1"), JOIN_2, SUB_2,
        new Step.Update("s1", List.of()), new Step.End("s3", EndKind.HALF_CLOSE))
        .step(0).opened("s1", "u1").settled(0)
        .step(1).opened("s3", "u1", "u1").settled(1)
        .step(2).opened("s2", "u2", "u1").settled(2)
        .step(3).subscribedAll("s2", "a").settled(3)
        .step(4).update("s1", 4, 0).events("s2", state("u1", "s1", 4, 0)).settled(4)
        .step(5).events("s2", nullEvent("u1", NullReason.NULL_REASON_LEFT)).settled(5)
        .analysis();

    assertThat(new TabCloseChecker().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("LEFT null about u1, who still has a live session"));
  }

  @Test
  void reasonCheckerDemandsTheReasonOfTheEndKind() {
    RunAnalysis run = burst()
        .at(101).events("s2", state("u1", "s1", 3, 2)).settled(3)
        .at(200).step(4).at(210).events("s2", nullEvent("u1", NullReason.NULL_REASON_TIMED_OUT)).settled(4)
        .analysis();

    assertThat(NullReasonChecker.lastSessionEnded().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("NULL_REASON_TIMED_OUT; expected NULL_REASON_LEFT"));
  }

  @Test
  void snapshotGatingCatchesLiveEventsInsideASnapshot() {
    RunAnalysis run = new HistoryFixture(JOIN_1, JOIN_2, SUB_2)
        .step(0).opened("s1", "u1").settled(0)
        .step(1).opened("s2", "u2", "u1").settled(1)
        .step(2).sent("s2", dev.presence.protocol.v1.ConnectRequest.newBuilder().setRequestId(1)
            .setSubscribe(dev.presence.protocol.v1.Subscribe.newBuilder().setSubscriptionId("a")
                .setTarget(TargetSpec.all().toWire(u -> u))).build())
        .events("s2", state("u1", "s1", 0, 0, "a"))
        .events("s2", state("u1", "s1", 0, 0))
        .subscribedAll("s2", "b")
        .analysis();

    assertThat(new SnapshotGatingChecker().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("inside the snapshot of [a]"));
  }

  /** s2 watches '*' while s1 (u1) sets a state and then cancels at step 4; s2 subscribes again at step 5. */
  private static HistoryFixture departure(Step afterLeave) {
    return new HistoryFixture(JOIN_1, JOIN_2, SUB_2, new Step.Update("s1", List.of()),
        new Step.End("s1", EndKind.CANCEL), afterLeave)
        .at(0).step(0).opened("s1", "u1").settled(0)
        .step(1).opened("s2", "u2", "u1").joined("s1", "u2").settled(1)
        .step(2).subscribedAll("s2", "a").settled(2)
        .at(100).step(3).update("s1", 3, 0).at(101).events("s2", state("u1", "s1", 3, 0)).settled(3)
        .at(200).step(4).at(900).settled(4);
  }

  @Test
  void aLeaveNullArrivingAfterItsStepIsLateButNeitherSpuriousNorOutOfScope() {
    RunAnalysis run = departure(new Step.Subscribe("s2", "b", TargetSpec.all()))
        .at(950).step(5).subscribedAll("s2", "b")
        .at(960).events("s2", nullEvent("u1", NullReason.NULL_REASON_LEFT)).settled(5)
        .analysis();

    assertThat(NullChecker.spurious().check(run)).isEmpty();
    assertThat(ScopeChecker.filtering().check(run)).isEmpty();
    assertThat(new SettledViewChecker("PRS-END-2", Cause.LAST_SESSION_ENDED).check(run)).hasSize(1);
  }

  @Test
  void aLeaveNullAfterTheOnlyCoveringSubscriptionEndedIsSpurious() {
    RunAnalysis run = departure(new Step.Unsubscribe("s2", "a"))
        .at(950).step(5).events("s2", nullEvent("u1", NullReason.NULL_REASON_OUT_OF_SCOPE, "a")).ack("s2", 2)
        .at(960).events("s2", nullEvent("u1", NullReason.NULL_REASON_LEFT)).settled(5)
        .analysis();

    assertThat(NullChecker.spurious().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("null (NULL_REASON_LEFT) about u1"));
  }

  /** s2 holds u1's first state in subscription a; u1's second state reaches s2 first in b's snapshot. */
  private static HistoryFixture snapshotNewerThanView() {
    return new HistoryFixture(JOIN_1, JOIN_2, SUB_2, new Step.Update("s1", List.of()),
        new Step.Update("s1", List.of()), new Step.Subscribe("s2", "b", TargetSpec.all()))
        .at(0).step(0).opened("s1", "u1").settled(0)
        .step(1).opened("s2", "u2", "u1").joined("s1", "u2").settled(1)
        .step(2).subscribedAll("s2", "a").settled(2)
        .at(100).step(3).update("s1", 3, 0).at(101).events("s2", state("u1", "s1", 3, 0)).settled(3)
        .at(110).step(4).update("s1", 4, 0).settled(4)
        .at(120).step(5).subscribedAll("s2", "b", state("u1", "s1", 4, 0, "b"));
  }

  @Test
  void aLiveEventRepeatingAnUndeterminedViewIsRequiredNotAViolation() {
    RunAnalysis run = snapshotNewerThanView().at(151).events("s2", state("u1", "s1", 4, 0)).settled(5).analysis();

    assertThat(new StaleSubscriptionChecker().check(run)).isEmpty();
    assertThat(NullChecker.spurious().check(run)).isEmpty();
  }

  @Test
  void aSubscriptionLeftStaleBehindAnotherSnapshotIsChargedToEvt7() {
    RunAnalysis run = snapshotNewerThanView().at(400).settled(5).analysis();

    assertThat(new StaleSubscriptionChecker().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("subscription a of s2 keeps the state of s1@3.0"));
  }
}
