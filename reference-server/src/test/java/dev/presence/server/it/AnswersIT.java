package dev.presence.server.it;

import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.follow;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.unfollow;
import static dev.presence.server.support.Frames.unsubscribe;
import static dev.presence.server.support.Frames.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Pong;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.server.support.Frames;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What answers each frame (PRS-ACK-1), duplicate request ids (PRS-ACK-2), the subscription id errors carry
 * (PRS-ERR-8, PRS-SUB-11) and the order of checks within subscribe, unsubscribe, follow and unfollow (PRS-ERR-6).
 */
class AnswersIT {
  private static final int MAX_SUBSCRIPTIONS = 4;
  private static final int MAX_FOLLOWS = 16;
  private ServerFixture fx;
  private TestSession s;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start(b -> b.maxSubscriptions(MAX_SUBSCRIPTIONS).maxFollows(MAX_FOLLOWS));
    s = fx.open("r", "alice");
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  /** A compact trace of the answers: acks, snapshot ends and errors, in order, up to a sync. */
  private List<String> answers() {
    s.sync();
    List<String> out = s.history().stream().map(TestSession.Received::frame).map(f -> {
      if (f.hasAck()) {
        return "ack " + f.getAck().getRequestId();
      }
      if (f.hasSnapshotComplete()) {
        return "complete " + f.getSnapshotComplete().getRequestId() + " " + f.getSnapshotComplete().getSubscriptionId();
      }
      if (f.hasError()) {
        return f.getError().getReason().name().substring("ERROR_REASON_".length()) + " "
            + f.getError().getRequestId() + " '" + f.getError().getSubscriptionId() + "'";
      }
      return null;
    }).filter(a -> a != null).toList();
    s.history().clear();
    return out;
  }

  @Test
  @DisplayName("PRS-ACK-1: follow and unfollow get one ack; subscribe a snapshot_complete; unsubscribe an ack unless request_id is 0; other frames nothing")
  void whatAnswersWhat() {
    s.send(follow(1, "bob")).send(unfollow(2, "bob"));
    s.send(subscribe(3, "all", all())).send(unsubscribe(4, "all"));
    s.send(subscribe(5, "again", all())).send(unsubscribe(0, "again"));
    s.send(Frames.update(1).toBuilder().setRequestId(6).build()).send(Frames.clear().toBuilder().setRequestId(7).build());
    s.send(ConnectRequest.newBuilder().setRequestId(8).setPong(Pong.newBuilder().setNonce(1)).build());
    assertThat(answers()).containsExactly("ack 1", "ack 2", "complete 3 all", "ack 4", "complete 5 again");
  }

  @Test
  @DisplayName("PRS-ACK-2: frames sharing a request_id are each answered on their own, in frame order")
  void duplicateRequestIds() {
    s.send(follow(9, "bob")).send(follow(9, "carol")).send(unfollow(9, "bob"));
    s.send(subscribe(9, "a", all())).send(subscribe(9, "b", user("bob")));
    s.send(unsubscribe(9, "a")).send(unsubscribe(9, "a"));
    assertThat(answers()).containsExactly("ack 9", "ack 9", "ack 9", "complete 9 a", "complete 9 b", "ack 9",
        "UNKNOWN_SUBSCRIPTION 9 'a'");
  }

  @Test
  @DisplayName("PRS-SUB-11/PRS-ERR-8: unsubscribe with an id violating PRS-SUB-1 gets INVALID_SUBSCRIPTION_ID with an empty id; an unknown valid id is echoed")
  void unsubscribeIds() {
    s.send(unsubscribe(1, "bad id!")).send(unsubscribe(2, "")).send(unsubscribe(3, "s".repeat(65)));
    s.send(unsubscribe(4, "ghost"));
    assertThat(answers()).containsExactly("INVALID_SUBSCRIPTION_ID 1 ''", "INVALID_SUBSCRIPTION_ID 2 ''",
        "INVALID_SUBSCRIPTION_ID 3 ''", "UNKNOWN_SUBSCRIPTION 4 'ghost'");
  }

  @Test
  @DisplayName("PRS-ERR-6/PRS-ERR-8: subscribe checks INVALID_SUBSCRIPTION_ID, TARGET_MISSING, INVALID_USER_ID, TOO_MANY_SUBSCRIPTIONS in order, echoing valid ids")
  void subscribeCheckOrder() {
    ConnectRequest noTargetBadId = ConnectRequest.newBuilder().setRequestId(1)
        .setSubscribe(Subscribe.newBuilder().setSubscriptionId("bad id!")).build();
    ConnectRequest noTarget = ConnectRequest.newBuilder().setRequestId(2)
        .setSubscribe(Subscribe.newBuilder().setSubscriptionId("s0")).build();
    s.send(noTargetBadId).send(noTarget);
    for (int i = 0; i < MAX_SUBSCRIPTIONS; i++) {
      s.send(subscribe(10 + i, "full" + i, user("u" + i)));
    }
    s.send(subscribe(3, "extra", user("\u0000"))).send(subscribe(4, "extra", all()));
    assertThat(answers()).containsExactly("INVALID_SUBSCRIPTION_ID 1 ''", "TARGET_MISSING 2 's0'",
        "complete 10 full0", "complete 11 full1", "complete 12 full2", "complete 13 full3",
        "INVALID_USER_ID 3 'extra'", "TOO_MANY_SUBSCRIPTIONS 4 'extra'");
  }

  @Test
  @DisplayName("PRS-ERR-6: follow checks REQUEST_ID_MISSING, INVALID_USER_ID, TOO_MANY_FOLLOWS in order; unfollow the first two")
  void followCheckOrder() {
    s.send(follow(0, "")).send(unfollow(0, ""));
    for (int i = 0; i < MAX_FOLLOWS; i++) {
      s.send(follow(100 + i, "u" + i));
    }
    s.send(follow(1, "")).send(follow(2, "one-too-many")).send(unfollow(3, ""));
    List<String> answers = answers();
    assertThat(answers.subList(0, 2)).containsExactly("REQUEST_ID_MISSING 0 ''", "REQUEST_ID_MISSING 0 ''");
    assertThat(answers.subList(2 + MAX_FOLLOWS, answers.size()))
        .containsExactly("INVALID_USER_ID 1 ''", "TOO_MANY_FOLLOWS 2 ''", "INVALID_USER_ID 3 ''");
  }
}
