package dev.presence.server.it;

import static dev.presence.server.it.Events.live;
import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.follow;
import static dev.presence.server.support.Frames.following;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.unfollow;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Follow sets feed the followed_users target (PRS-FOL-*). */
class FollowIT {
  private static final Duration QUIET = Duration.ofMillis(400);
  private ServerFixture fx;
  private TestSession alice;
  private TestSession bob;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start(b -> b.maxFollows(16));
    alice = fx.open("r", "alice");
    alice.send(update(1));
    alice.sync();
    bob = fx.open("r", "bob");
    bob.send(subscribe(1, "f1", following()));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    bob.send(subscribe(2, "f2", following()));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private List<PresenceEvent> eventsSince(int index) {
    return bob.history().subList(index, bob.history().size()).stream().map(TestSession.Received::frame)
        .filter(ConnectResponse::hasPresence).flatMap(f -> f.getPresence().getEventsList().stream()).toList();
  }

  @Test
  @DisplayName("PRS-FOL-3/PRS-FOL-6: follow delivers the state tagged with the followed_users subscriptions, then ack, then live events")
  void followThenLive() {
    int before = bob.history().size();
    bob.send(follow(10, "alice"));
    assertThat(bob.await("ack", ConnectResponse::hasAck).getAck().getRequestId()).isEqualTo(10);
    List<PresenceEvent> events = eventsSince(before);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getSubscriptionIdsList()).containsExactly("f1", "f2");
    assertThat(events.get(0).getState().getFieldsOrThrow("x").getNumberValue()).isEqualTo(1);
    alice.send(update(2));
    bob.awaitEvent("alice", x(2).and(live()));
  }

  @Test
  @DisplayName("PRS-FOL-4/PRS-FOL-6: unfollow sends a tagged OUT_OF_SCOPE null, then ack, then nothing")
  void unfollowStopsEvents() {
    bob.send(follow(10, "alice"));
    bob.await("ack", ConnectResponse::hasAck);
    int before = bob.history().size();
    bob.send(unfollow(11, "alice"));
    assertThat(bob.await("ack", ConnectResponse::hasAck).getAck().getRequestId()).isEqualTo(11);
    List<PresenceEvent> events = eventsSince(before);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).hasState()).isFalse();
    assertThat(events.get(0).getNullReason()).isEqualTo(NullReason.NULL_REASON_OUT_OF_SCOPE);
    assertThat(events.get(0).getSubscriptionIdsList()).containsExactly("f1", "f2");
    alice.send(update(3));
    assertThat(Events.about("alice", bob.drainFor(QUIET))).isEmpty();
  }

  @Test
  @DisplayName("PRS-TGT-2/PRS-TGT-4: a followed_users snapshot holds only followed users, never the subscriber or others")
  void followedSnapshotIsFiltered() {
    TestSession carol = fx.open("r", "carol");
    carol.send(update(7));
    carol.sync();
    bob.send(update(8));
    bob.send(follow(10, "carol"));
    bob.await("ack", ConnectResponse::hasAck);
    int before = bob.history().size();
    bob.send(subscribe(3, "f3", following()));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    assertThat(eventsSince(before)).extracting(PresenceEvent::getUserId).containsExactly("carol");
    assertThat(bob.history()).noneMatch(r -> r.frame().hasPresence() && r.frame().getPresence().getEventsList()
        .stream().anyMatch(e -> !e.getUserId().equals("carol")));
  }

  @Test
  @DisplayName("PRS-FOL-3/PRS-FOL-4: following twice or unfollowing a stranger is just acknowledged")
  void idempotent() {
    bob.send(follow(10, "alice"));
    bob.await("ack", ConnectResponse::hasAck);
    int before = bob.history().size();
    bob.send(follow(11, "alice"));
    assertThat(bob.await("ack", ConnectResponse::hasAck).getAck().getRequestId()).isEqualTo(11);
    bob.send(unfollow(12, "stranger"));
    assertThat(bob.await("ack", ConnectResponse::hasAck).getAck().getRequestId()).isEqualTo(12);
    assertThat(eventsSince(before)).isEmpty();
  }

  @Test
  @DisplayName("PRS-FOL-1/PRS-FOL-5: request_id is required, user ids are validated, and the follow set is bounded")
  void followErrors() {
    bob.send(follow(0, "alice"));
    assertThat(bob.await("error", ConnectResponse::hasError).getError().getReason())
        .isEqualTo(ErrorReason.ERROR_REASON_REQUEST_ID_MISSING);
    bob.send(unfollow(0, "alice"));
    assertThat(bob.await("error", ConnectResponse::hasError).getError().getReason())
        .isEqualTo(ErrorReason.ERROR_REASON_REQUEST_ID_MISSING);
    bob.send(follow(5, "bad\u0000id"));
    ConnectResponse invalid = bob.await("error", ConnectResponse::hasError);
    assertThat(invalid.getError().getReason()).isEqualTo(ErrorReason.ERROR_REASON_INVALID_USER_ID);
    assertThat(invalid.getError().getRequestId()).isEqualTo(5);
    for (int i = 0; i < 16; i++) {
      bob.send(follow(100 + i, "u" + i));
      bob.await("ack", ConnectResponse::hasAck);
    }
    bob.send(follow(200, "one-too-many"));
    ConnectResponse tooMany = bob.await("error", ConnectResponse::hasError);
    assertThat(tooMany.getError().getReason()).isEqualTo(ErrorReason.ERROR_REASON_TOO_MANY_FOLLOWS);
    assertThat(tooMany.getError().getRequestId()).isEqualTo(200);
  }

  @Test
  @DisplayName("PRS-FOL-3: a user followed before joining reaches followed_users subscriptions once they join")
  void followBeforeJoin() {
    bob.send(follow(10, "erin"));
    bob.await("ack", ConnectResponse::hasAck);
    TestSession erin = fx.open("r", "erin");
    bob.await("member_joined", ConnectResponse::hasMemberJoined);
    erin.send(update(5));
    bob.awaitEvent("erin", x(5).and(live()));
  }
}
