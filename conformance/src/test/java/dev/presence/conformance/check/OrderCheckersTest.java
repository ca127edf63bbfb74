package dev.presence.conformance.check;

import static dev.presence.conformance.check.HistoryFixture.nullEvent;
import static dev.presence.conformance.check.HistoryFixture.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.scenario.Step;
import dev.presence.conformance.scenario.TargetSpec;
import dev.presence.protocol.v1.AllUsers;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Follow;
import dev.presence.protocol.v1.FollowedUsers;
import dev.presence.protocol.v1.MemberLeft;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.SnapshotComplete;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.protocol.v1.Unfollow;
import dev.presence.protocol.v1.Unsubscribe;
import org.junit.jupiter.api.Test;

/** The checkers of request and answer order, each with a trace that keeps its clause and one that breaks it. */
class OrderCheckersTest {

  private static final Step JOIN_1 = new Step.Join("s1", "u1", "r1");
  private static final Step JOIN_2 = new Step.Join("s2", "u2", "r1");
  private static final Step JOIN_3 = new Step.Join("s3", "u3", "r1");
  private static final Step UPDATE_1 = new Step.Update("s1", java.util.List.of());
  private static final Step UPDATE_3 = new Step.Update("s3", java.util.List.of());

  private static final SyncTarget ALL = SyncTarget.newBuilder().setAllUsers(AllUsers.getDefaultInstance()).build();
  private static final SyncTarget FOLLOWING = SyncTarget.newBuilder()
      .setFollowedUsers(FollowedUsers.getDefaultInstance()).build();

  /** u1 (s1) and u3 (s3) have states set at steps 2 and 3; s2 (u2) acts from step 4 on. */
  private static HistoryFixture room(Step... then) {
    Step[] steps = new Step[4 + then.length];
    steps[0] = JOIN_1;
    steps[1] = JOIN_2;
    steps[2] = UPDATE_1;
    steps[3] = JOIN_3;
    System.arraycopy(then, 0, steps, 4, then.length);
    return new HistoryFixture(steps)
        .step(0).opened("s1", "u1").settled(0)
        .step(1).opened("s2", "u2", "u1").joined("s1", "u2").settled(1)
        .step(2).update("s1", 2, 0).settled(2)
        .step(3).opened("s3", "u3", "u1", "u2").joined("s2", "u3").joined("s1", "u3").settled(3);
  }

  private static ConnectRequest subscribe(long requestId, String id, SyncTarget target) {
    return ConnectRequest.newBuilder().setRequestId(requestId)
        .setSubscribe(Subscribe.newBuilder().setSubscriptionId(id).setTarget(target)).build();
  }

  private static ConnectRequest unsubscribe(long requestId, String id) {
    return ConnectRequest.newBuilder().setRequestId(requestId)
        .setUnsubscribe(Unsubscribe.newBuilder().setSubscriptionId(id)).build();
  }

  private static ConnectRequest follow(long requestId, String user) {
    return ConnectRequest.newBuilder().setRequestId(requestId).setFollow(Follow.newBuilder().setUserId(user)).build();
  }

  private static ConnectRequest unfollow(long requestId, String user) {
    return ConnectRequest.newBuilder().setRequestId(requestId).setUnfollow(Unfollow.newBuilder().setUserId(user))
        .build();
  }

  private static ConnectResponse complete(long requestId, String id) {
    return ConnectResponse.newBuilder().setSnapshotComplete(SnapshotComplete.newBuilder().setSubscriptionId(id)
        .setRequestId(requestId)).build();
  }

  /** s2 subscribes 'a' to everyone at step 4; u1 has a state. */
  private static HistoryFixture subscribedAll() {
    return room(new Step.Subscribe("s2", "a", TargetSpec.all()))
        .step(4).sent("s2", subscribe(7, "a", ALL));
  }

  @Test
  void aSnapshotBeforeItsCompletePassesAndACompleteBeforeItsSnapshotFailsSub3() {
    RunAnalysis right = subscribedAll().events("s2", state("u1", "s1", 2, 0, "a"))
        .received("s2", complete(7, "a")).settled(4).analysis();
    RunAnalysis completeFirst = subscribedAll().received("s2", complete(7, "a"))
        .events("s2", state("u1", "s1", 2, 0, "a")).settled(4).analysis();

    assertThat(AnswerOrderChecker.newSubscription().check(right)).isEmpty();
    assertThat(AnswerOrderChecker.newSubscription().check(completeFirst)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("subscribe a").contains("after the SNAPSHOT_COMPLETE"));
  }

  @Test
  void aSnapshotHoldingANullFailsSub3() {
    RunAnalysis run = subscribedAll()
        .events("s2", state("u1", "s1", 2, 0, "a"), nullEvent("u3", NullReason.NULL_REASON_CLEARED, "a"))
        .received("s2", complete(7, "a")).settled(4).analysis();

    assertThat(AnswerOrderChecker.newSubscription().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("holds a null about u3"));
  }

  /** s2 watches u1 under 'a', u3 updates, then s2 retargets 'a' to u3 at step 6. */
  private static HistoryFixture retargetedToU3() {
    return room(new Step.Subscribe("s2", "a", TargetSpec.user("u1")), UPDATE_3,
        new Step.Subscribe("s2", "a", TargetSpec.user("u3")))
        .step(4).sent("s2", subscribe(7, "a", SyncTarget.newBuilder().setUserId("u1").build()))
        .events("s2", state("u1", "s1", 2, 0, "a")).received("s2", complete(7, "a")).settled(4)
        .step(5).update("s3", 5, 0).settled(5)
        .step(6).sent("s2", subscribe(8, "a", SyncTarget.newBuilder().setUserId("u3").build()));
  }

  @Test
  void aRetargetsNullsThenStatesThenCompletePassSub6() {
    RunAnalysis run = retargetedToU3()
        .events("s2", nullEvent("u1", NullReason.NULL_REASON_OUT_OF_SCOPE, "a"), state("u3", "s3", 5, 0, "a"))
        .received("s2", complete(8, "a")).settled(6).analysis();

    assertThat(AnswerOrderChecker.retarget().check(run)).isEmpty();
    assertThat(AnswerOrderChecker.newSubscription().check(run)).isEmpty();
  }

  @Test
  void aRetargetsStateBeforeItsNullFailsSub6() {
    RunAnalysis run = retargetedToU3()
        .events("s2", state("u3", "s3", 5, 0, "a"))
        .events("s2", nullEvent("u1", NullReason.NULL_REASON_OUT_OF_SCOPE, "a"))
        .received("s2", complete(8, "a")).settled(6).analysis();

    assertThat(AnswerOrderChecker.retarget().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("the null about u1 came after the state of u3"));
  }

  @Test
  void aRetargetsCompleteBeforeItsEventsFailsSub6() {
    RunAnalysis run = retargetedToU3()
        .received("s2", complete(8, "a"))
        .events("s2", nullEvent("u1", NullReason.NULL_REASON_OUT_OF_SCOPE, "a"), state("u3", "s3", 5, 0, "a"))
        .settled(6).analysis();

    assertThat(AnswerOrderChecker.retarget().check(run)).hasSize(2)
        .allSatisfy(v -> assertThat(v.message()).contains("retarget of a").contains("after the SNAPSHOT_COMPLETE"));
  }

  @Test
  void aUserInBothScopesDeliveredAgainFailsSub6() {
    HistoryFixture retargetToAll = room(new Step.Subscribe("s2", "a", TargetSpec.user("u1")),
        new Step.Subscribe("s2", "a", TargetSpec.all()))
        .step(4).sent("s2", subscribe(7, "a", SyncTarget.newBuilder().setUserId("u1").build()))
        .events("s2", state("u1", "s1", 2, 0, "a")).received("s2", complete(7, "a")).settled(4)
        .step(5).sent("s2", subscribe(8, "a", ALL));
    RunAnalysis quiet = retargetToAll.received("s2", complete(8, "a")).settled(5).analysis();
    RunAnalysis again = room(new Step.Subscribe("s2", "a", TargetSpec.user("u1")),
        new Step.Subscribe("s2", "a", TargetSpec.all()))
        .step(4).sent("s2", subscribe(7, "a", SyncTarget.newBuilder().setUserId("u1").build()))
        .events("s2", state("u1", "s1", 2, 0, "a")).received("s2", complete(7, "a")).settled(4)
        .step(5).sent("s2", subscribe(8, "a", ALL))
        .events("s2", state("u1", "s1", 2, 0, "a")).received("s2", complete(8, "a")).settled(5).analysis();

    assertThat(AnswerOrderChecker.retarget().check(quiet)).isEmpty();
    assertThat(AnswerOrderChecker.retarget().check(again)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("u1 was delivered again"));
  }

  /** s2 holds 'a' on everyone, sees u1, and unsubscribes at step 5. */
  private static HistoryFixture unsubscribing() {
    return room(new Step.Subscribe("s2", "a", TargetSpec.all()), new Step.Unsubscribe("s2", "a"))
        .step(4).sent("s2", subscribe(7, "a", ALL)).events("s2", state("u1", "s1", 2, 0, "a"))
        .received("s2", complete(7, "a")).settled(4)
        .step(5).sent("s2", unsubscribe(8, "a"));
  }

  @Test
  void unsubscribeNullsBeforeTheAckPassAndAfterItFailSub7() {
    RunAnalysis right = unsubscribing().events("s2", nullEvent("u1", NullReason.NULL_REASON_OUT_OF_SCOPE, "a"))
        .ack("s2", 8).settled(5).analysis();
    RunAnalysis ackFirst = unsubscribing().ack("s2", 8)
        .events("s2", nullEvent("u1", NullReason.NULL_REASON_OUT_OF_SCOPE, "a")).settled(5).analysis();

    assertThat(AnswerOrderChecker.unsubscribe().check(right)).isEmpty();
    assertThat(AnswerOrderChecker.unsubscribe().check(ackFirst)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("unsubscribe a").contains("after the ACK"));
  }

  /** s2 holds 'f' on its follows and follows u1, who has a state, at step 5. */
  private static HistoryFixture following() {
    return room(new Step.Subscribe("s2", "f", TargetSpec.following()), new Step.Follow("s2", "u1"))
        .step(4).sent("s2", subscribe(7, "f", FOLLOWING)).received("s2", complete(7, "f")).settled(4)
        .step(5).sent("s2", follow(8, "u1"));
  }

  @Test
  void aFollowsStateBeforeTheAckPassesAndAfterItFailsFol3() {
    RunAnalysis right = following().events("s2", state("u1", "s1", 2, 0, "f")).ack("s2", 8).settled(5).analysis();
    RunAnalysis ackFirst = following().ack("s2", 8).events("s2", state("u1", "s1", 2, 0, "f")).settled(5)
        .analysis();
    RunAnalysis twice = following().events("s2", state("u1", "s1", 2, 0, "f"))
        .events("s2", state("u1", "s1", 2, 0, "f")).ack("s2", 8).settled(5).analysis();

    assertThat(AnswerOrderChecker.follow().check(right)).isEmpty();
    assertThat(AnswerOrderChecker.follow().check(ackFirst)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("follow of u1").contains("after the ACK"));
    assertThat(AnswerOrderChecker.follow().check(twice)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("2 tagged events, not one"));
  }

  @Test
  void anUnfollowsNullBeforeTheAckPassesAndAfterItFailsFol4() {
    HistoryFixture followed = room(new Step.Subscribe("s2", "f", TargetSpec.following()),
        new Step.Follow("s2", "u1"), new Step.Unfollow("s2", "u1"))
        .step(4).sent("s2", subscribe(7, "f", FOLLOWING)).received("s2", complete(7, "f")).settled(4)
        .step(5).sent("s2", follow(8, "u1")).events("s2", state("u1", "s1", 2, 0, "f")).ack("s2", 8).settled(5)
        .step(6).sent("s2", unfollow(9, "u1"));
    RunAnalysis right = followed.events("s2", nullEvent("u1", NullReason.NULL_REASON_OUT_OF_SCOPE, "f"))
        .ack("s2", 9).settled(6).analysis();

    assertThat(AnswerOrderChecker.unfollow().check(right)).isEmpty();
    assertThat(AnswerOrderChecker.unfollow().check(room(new Step.Subscribe("s2", "f", TargetSpec.following()),
        new Step.Follow("s2", "u1"), new Step.Unfollow("s2", "u1"))
        .step(4).sent("s2", subscribe(7, "f", FOLLOWING)).received("s2", complete(7, "f")).settled(4)
        .step(5).sent("s2", follow(8, "u1")).events("s2", state("u1", "s1", 2, 0, "f")).ack("s2", 8).settled(5)
        .step(6).sent("s2", unfollow(9, "u1")).ack("s2", 9)
        .events("s2", nullEvent("u1", NullReason.NULL_REASON_OUT_OF_SCOPE, "f")).settled(6).analysis()))
        .singleElement().satisfies(v -> assertThat(v.message()).contains("unfollow of u1").contains("after the ACK"));
  }

  @Test
  void aSecondSnapshotCompleteIsAStrayAnswerUnderAck1() {
    RunAnalysis right = subscribedAll().received("s2", complete(7, "a")).settled(4).analysis();
    RunAnalysis twice = subscribedAll().received("s2", complete(7, "a")).received("s2", complete(7, "a"))
        .settled(4).analysis();

    assertThat(AnswerChecker.kinds().check(right)).isEmpty();
    assertThat(AnswerChecker.kinds().check(twice)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("answers no request").contains("answered already"));
  }

  @Test
  void aFollowAnsweredBySnapshotCompleteFailsAck1() {
    RunAnalysis run = following().received("s2", complete(8, "f")).settled(5).analysis();

    assertThat(AnswerChecker.kinds().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("follow of u1").contains("answered by SNAPSHOT_COMPLETE"));
  }

  @Test
  void answersOutOfTheOrderOfTheirRequestsFailAck2() {
    HistoryFixture pipelined = room(new Step.Follow("s2", "u1"))
        .step(4).sent("s2", follow(8, "u1")).sent("s2", follow(9, "u3"));
    RunAnalysis inOrder = pipelined.ack("s2", 8).ack("s2", 9).settled(4).analysis();
    RunAnalysis swapped = room(new Step.Follow("s2", "u1"))
        .step(4).sent("s2", follow(8, "u1")).sent("s2", follow(9, "u3")).ack("s2", 9).ack("s2", 8).settled(4)
        .analysis();

    assertThat(AnswerChecker.order().check(inOrder)).isEmpty();
    assertThat(AnswerChecker.order().check(swapped)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("request_id 9").contains("before the older"));
  }

  @Test
  void aFollowAcknowledgedTwiceFailsFol2() {
    RunAnalysis once = following().ack("s2", 8).settled(5).analysis();
    RunAnalysis twice = following().ack("s2", 8).ack("s2", 8).settled(5).analysis();

    assertThat(AnswerChecker.followsOnce().check(once)).isEmpty();
    assertThat(AnswerChecker.followsOnce().check(twice)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("second answer (ACK)"));
  }

  @Test
  void membershipInsideASnapshotFailsMem6() {
    RunAnalysis outside = room(new Step.Subscribe("s2", "a", TargetSpec.all()))
        .step(4).sent("s2", subscribe(7, "a", ALL))
        .received("s2", ConnectResponse.newBuilder().setMemberLeft(MemberLeft.newBuilder().setUserId("u3")).build())
        .events("s2", state("u1", "s1", 2, 0, "a")).received("s2", complete(7, "a")).settled(4).analysis();
    RunAnalysis inside = subscribedAll().events("s2", state("u1", "s1", 2, 0, "a"))
        .received("s2", ConnectResponse.newBuilder().setMemberLeft(MemberLeft.newBuilder().setUserId("u3")).build())
        .received("s2", complete(7, "a")).settled(4).analysis();

    assertThat(new SnapshotMembershipChecker().check(outside)).isEmpty();
    assertThat(new SnapshotMembershipChecker().check(inside)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("MEMBER_LEFT about u3 inside the snapshot"));
  }

  @Test
  void aSnapshotShowingAUserWhoLeftBeforeItFailsMem6() {
    RunAnalysis run = room(new Step.Subscribe("s2", "a", TargetSpec.all()))
        .step(4).sent("s2", subscribe(7, "a", ALL))
        .received("s2", ConnectResponse.newBuilder().setMemberLeft(MemberLeft.newBuilder().setUserId("u1")).build())
        .events("s2", state("u1", "s1", 2, 0, "a")).received("s2", complete(7, "a")).settled(4).analysis();

    assertThat(new SnapshotMembershipChecker().check(run)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("holds a state of u1, whose member_left came before it"));
  }

  @Test
  void aStateResentAfterItsNullFailsEvt5AndANewerOnePasses() {
    HistoryFixture nulled = subscribedAll().events("s2", state("u1", "s1", 2, 0, "a"))
        .received("s2", complete(7, "a")).settled(4)
        .events("s2", nullEvent("u1", NullReason.NULL_REASON_CLEARED));
    RunAnalysis newer = nulled.events("s2", state("u1", "s1", 6, 0)).analysis();
    RunAnalysis resent = subscribedAll().events("s2", state("u1", "s1", 2, 0, "a"))
        .received("s2", complete(7, "a")).settled(4)
        .events("s2", nullEvent("u1", NullReason.NULL_REASON_CLEARED))
        .events("s2", state("u1", "s1", 2, 0)).analysis();

    assertThat(new ResurrectionChecker().check(newer)).isEmpty();
    assertThat(new ResurrectionChecker().check(resent)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("received the state of s1@2.0 again"));
  }
}
