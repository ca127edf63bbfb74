package dev.presence.server.it;

import static dev.presence.server.it.Events.live;
import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.clear;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.unsubscribe;
import static dev.presence.server.support.Frames.update;
import static dev.presence.server.support.Frames.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Subscriptions: snapshot, marker, live events, target changes, unsubscribe and filtering (PRS-SUB-*, PRS-TGT-*). */
class SubscriptionIT {
  private static final Duration QUIET = Duration.ofMillis(400);
  private ServerFixture fx;
  private TestSession alice;
  private TestSession carol;
  private TestSession dave;
  private TestSession bob;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start(b -> b.maxSubscriptions(4));
    alice = fx.open("r", "alice");
    carol = fx.open("r", "carol");
    dave = fx.open("r", "dave");
    alice.send(update(1));
    carol.send(update(2));
    alice.sync();
    carol.sync();
    bob = fx.open("r", "bob");
    bob.drainFor(Duration.ofMillis(100));
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private static List<PresenceEvent> events(List<ConnectResponse> frames) {
    return frames.stream().filter(ConnectResponse::hasPresence)
        .flatMap(f -> f.getPresence().getEventsList().stream()).toList();
  }

  @Test
  @DisplayName("PRS-SUB-3/PRS-SUB-4/PRS-SUB-5: tagged snapshot of non-null users, snapshot_complete, then untagged live events")
  void snapshotThenCompleteThenLive() {
    int before = bob.history().size();
    bob.send(subscribe(7, "all", all()));
    ConnectResponse complete = bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    assertThat(complete.getSnapshotComplete().getSubscriptionId()).isEqualTo("all");
    assertThat(complete.getSnapshotComplete().getRequestId()).isEqualTo(7);
    List<ConnectResponse> snapshot = bob.history().subList(before, bob.history().size() - 1).stream()
        .map(TestSession.Received::frame).toList();
    List<PresenceEvent> events = events(snapshot);
    assertThat(events).extracting(PresenceEvent::getUserId).containsExactlyInAnyOrder("alice", "carol");
    assertThat(events).allMatch(e -> e.getSubscriptionIdsList().equals(List.of("all")) && e.hasState());
    assertThat(snapshot).allMatch(ConnectResponse::hasPresence);
    dave.send(update(3));
    PresenceEvent liveEvent = bob.awaitEvent("dave", x(3));
    assertThat(liveEvent.getSubscriptionIdsList()).isEmpty();
  }

  @Test
  @DisplayName("PRS-TGT-1: all_users includes the subscriber's own user")
  void allIncludesSelf() {
    bob.send(subscribe(1, "all", all()));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    bob.send(update(9));
    assertThat(bob.awaitEvent("bob", x(9)).getSubscriptionIdsList()).isEmpty();
  }

  @Test
  @DisplayName("PRS-SUB-6: a target change sends OUT_OF_SCOPE for leavers, states for joiners, then snapshot_complete")
  void targetChange() {
    bob.send(subscribe(1, "s", user("alice")));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    int before = bob.history().size();
    bob.send(subscribe(2, "s", user("carol")));
    ConnectResponse complete = bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    assertThat(complete.getSnapshotComplete().getRequestId()).isEqualTo(2);
    List<PresenceEvent> events = events(bob.history().subList(before, bob.history().size()).stream()
        .map(TestSession.Received::frame).toList());
    assertThat(events).hasSize(2);
    assertThat(events.get(0).getUserId()).isEqualTo("alice");
    assertThat(events.get(0).hasState()).isFalse();
    assertThat(events.get(0).getNullReason()).isEqualTo(NullReason.NULL_REASON_OUT_OF_SCOPE);
    assertThat(events.get(0).getSubscriptionIdsList()).containsExactly("s");
    assertThat(events.get(1).getUserId()).isEqualTo("carol");
    assertThat(events.get(1).getSubscriptionIdsList()).containsExactly("s");
    alice.send(update(11));
    carol.send(update(12));
    bob.awaitEvent("carol", x(12));
    assertThat(Events.about("alice", bob.drainFor(QUIET))).as("PRS-TGT-4: alice is out of scope").isEmpty();
  }

  @Test
  @DisplayName("PRS-SUB-6: users in both the old and new scope are not delivered again")
  void targetChangeKeepsCommonUsers() {
    bob.send(subscribe(1, "s", user("alice")));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    int before = bob.history().size();
    bob.send(subscribe(2, "s", all()));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    List<PresenceEvent> events = events(bob.history().subList(before, bob.history().size()).stream()
        .map(TestSession.Received::frame).toList());
    assertThat(events).extracting(PresenceEvent::getUserId).containsExactly("carol");
  }

  @Test
  @DisplayName("PRS-SUB-7: unsubscribe sends tagged OUT_OF_SCOPE nulls for users with a view, then ack; then nothing")
  void unsubscribeSendsOutOfScopeThenAck() {
    bob.send(subscribe(1, "all", all()));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    int before = bob.history().size();
    bob.send(unsubscribe(5, "all"));
    ConnectResponse ack = bob.await("ack", ConnectResponse::hasAck);
    assertThat(ack.getAck().getRequestId()).isEqualTo(5);
    List<PresenceEvent> events = events(bob.history().subList(before, bob.history().size()).stream()
        .map(TestSession.Received::frame).toList());
    assertThat(events).extracting(PresenceEvent::getUserId).containsExactlyInAnyOrder("alice", "carol");
    assertThat(events).allMatch(e -> !e.hasState() && e.getNullReason() == NullReason.NULL_REASON_OUT_OF_SCOPE
        && e.getSubscriptionIdsList().equals(List.of("all")));
    alice.send(update(5));
    carol.send(clear());
    assertThat(bob.drainFor(QUIET)).noneMatch(ConnectResponse::hasPresence);
  }

  @Test
  @DisplayName("PRS-SUB-8: unsubscribe of an unknown id gets UNKNOWN_SUBSCRIPTION")
  void unknownSubscription() {
    bob.send(unsubscribe(4, "nope"));
    ConnectResponse error = bob.await("error", ConnectResponse::hasError);
    assertThat(error.getError().getReason()).isEqualTo(ErrorReason.ERROR_REASON_UNKNOWN_SUBSCRIPTION);
    assertThat(error.getError().getRequestId()).isEqualTo(4);
    assertThat(error.getError().getSubscriptionId()).isEqualTo("nope");
  }

  @Test
  @DisplayName("PRS-SUB-1/PRS-SUB-2/PRS-SUB-9: invalid id, missing target, invalid user and too many subscriptions are errors that change nothing")
  void subscribeErrors() {
    bob.send(subscribe(1, "bad id", all()));
    assertThat(bob.await("error", ConnectResponse::hasError).getError().getReason())
        .isEqualTo(ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID);
    bob.send(ConnectRequest.newBuilder().setRequestId(2).setSubscribe(Subscribe.newBuilder().setSubscriptionId("t")).build());
    ConnectResponse missing = bob.await("error", ConnectResponse::hasError);
    assertThat(missing.getError().getReason()).isEqualTo(ErrorReason.ERROR_REASON_TARGET_MISSING);
    assertThat(missing.getError().getSubscriptionId()).isEqualTo("t");
    bob.send(subscribe(3, "t", SyncTarget.getDefaultInstance()));
    assertThat(bob.await("error", ConnectResponse::hasError).getError().getReason())
        .isEqualTo(ErrorReason.ERROR_REASON_TARGET_MISSING);
    bob.send(subscribe(4, "t", user("")));
    assertThat(bob.await("error", ConnectResponse::hasError).getError().getReason())
        .isEqualTo(ErrorReason.ERROR_REASON_INVALID_USER_ID);
    for (int i = 0; i < 4; i++) {
      bob.send(subscribe(10 + i, "s" + i, user("nobody")));
      bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    }
    bob.send(subscribe(20, "s4", all()));
    ConnectResponse tooMany = bob.await("error", ConnectResponse::hasError);
    assertThat(tooMany.getError().getReason()).isEqualTo(ErrorReason.ERROR_REASON_TOO_MANY_SUBSCRIPTIONS);
    assertThat(tooMany.getError().getRequestId()).isEqualTo(20);
    // Changing the target of an existing subscription is not a new one.
    bob.send(subscribe(21, "s3", all()));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
  }

  @Test
  @DisplayName("PRS-TGT-3/PRS-TGT-4: a user_id subscription receives nothing about other users")
  void serverSideFiltering() {
    bob.send(subscribe(1, "carol-only", user("carol")));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    for (int i = 0; i < 5; i++) {
      alice.send(update(100 + i));
      dave.send(update(200 + i));
    }
    carol.send(update(42));
    bob.awaitEvent("carol", x(42).and(live()));
    List<ConnectResponse> later = bob.drainFor(QUIET);
    assertThat(bob.history().stream().map(TestSession.Received::frame).filter(ConnectResponse::hasPresence)
        .flatMap(f -> f.getPresence().getEventsList().stream()))
        .allMatch(e -> e.getUserId().equals("carol"));
    assertThat(Events.about("alice", later)).isEmpty();
  }
}
