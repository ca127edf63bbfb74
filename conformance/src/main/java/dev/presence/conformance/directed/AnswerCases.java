package dev.presence.conformance.directed;

import static dev.presence.conformance.directed.Expect.awaitEvent;
import static dev.presence.conformance.directed.Expect.everyone;
import static dev.presence.conformance.directed.Expect.expectError;
import static dev.presence.conformance.directed.Expect.limit;
import static dev.presence.conformance.directed.Expect.marked;

import dev.presence.conformance.directed.Probe.Joined;
import dev.presence.conformance.driver.RawSession;
import dev.presence.protocol.v1.ClearState;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.FollowedUsers;
import dev.presence.protocol.v1.Follow;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.Ping;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.ProtocolError;
import dev.presence.protocol.v1.Pong;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.protocol.v1.Unfollow;
import dev.presence.protocol.v1.Unsubscribe;
import dev.presence.protocol.v1.UpdateState;
import java.util.ArrayList;
import java.util.List;

/** What answers which frame: PRS-ERR-6, PRS-ERR-8, PRS-SUB-11, PRS-ACK-1, PRS-ACK-2, and PRS-FOL-4's condition. */
final class AnswerCases {

  private static final String BAD_ID = "white space";
  private static final String BAD_USER = "\u00A0";

  private AnswerCases() {}

  static List<DirectedCase> all() {
    return List.of(
        DirectedCase.checks("PRS-ERR-8",
            "A ProtocolError answering a subscribe or an unsubscribe MUST carry that frame's subscription_id "
                + "when the id is valid under PRS-SUB-1, and an empty subscription_id when it is not.",
            "A ProtocolError about any other frame MUST carry an empty subscription_id.")
            .by(AnswerCases::errorsNameValidSubscriptionIdsOnly),
        DirectedCase.checks("PRS-SUB-11",
            "An unsubscribe whose subscription_id violates PRS-SUB-1 MUST get a ProtocolError with reason "
                + "INVALID_SUBSCRIPTION_ID, not UNKNOWN_SUBSCRIPTION.")
            .by(p -> {
              Joined j = p.join("u1");
              expectSubscriptionId("unsubscribe of a malformed id", expectError("unsubscribe '" + BAD_ID + "'", p,
                  j.session(), unsubscribe(91, BAD_ID), ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID), "");
            }),
        DirectedCase.checks("PRS-ACK-1",
            "A server MUST answer frames as follows, and no other way: follow and unfollow with one ack",
            "an ack when its request_id is non-zero",
            "a snapshot_complete carrying its request_id",
            "open, update_state, clear_state",
            "ping and pong get no ack")
            .by(AnswerCases::onlyTheListedFramesAreAcknowledged),
        DirectedCase.checks("PRS-ACK-2",
            "The server MUST echo each frame's request_id as received and MUST answer each frame on its own, "
                + "in the order of the frames, even when several carry the same request_id.")
            .by(AnswerCases::duplicateRequestIdsAreEachAnsweredInOrder),
        DirectedCase.checks("PRS-FOL-4",
            "If the session has followed_users subscriptions and its view on that user is non-null, it MUST "
                + "deliver one null with reason OUT_OF_SCOPE tagged with those subscriptions, before the ack.")
            .by(AnswerCases::unfollowNullsOnlyUnderItsCondition));
  }

  static ConnectRequest subscribe(long requestId, String id, SyncTarget target) {
    Subscribe.Builder b = Subscribe.newBuilder().setSubscriptionId(id);
    if (target != null) {
      b.setTarget(target);
    }
    return ConnectRequest.newBuilder().setRequestId(requestId).setSubscribe(b).build();
  }

  static ConnectRequest unsubscribe(long requestId, String id) {
    return ConnectRequest.newBuilder().setRequestId(requestId).setUnsubscribe(Unsubscribe.newBuilder()
        .setSubscriptionId(id)).build();
  }

  static ConnectRequest follow(long requestId, String user) {
    return ConnectRequest.newBuilder().setRequestId(requestId).setFollow(Follow.newBuilder().setUserId(user)).build();
  }

  static ConnectRequest unfollow(long requestId, String user) {
    return ConnectRequest.newBuilder().setRequestId(requestId).setUnfollow(Unfollow.newBuilder().setUserId(user))
        .build();
  }

  private static SyncTarget user(String id) {
    return SyncTarget.newBuilder().setUserId(id).build();
  }

  /** PRS-ERR-6 for subscribe, unsubscribe, follow and unfollow; StateCases covers update_state. */
  static void otherFramesPrecedence(Probe p, Joined j) throws InterruptedException {
    RawSession s = j.session();
    expectError("subscribe with a malformed id and no target", p, s, subscribe(84, BAD_ID, null),
        ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID);
    expectError("subscribe with a malformed id and a malformed user", p, s, subscribe(85, BAD_ID, user(BAD_USER)),
        ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID);
    expectError("unsubscribe of a malformed, unknown id", p, s, unsubscribe(86, BAD_ID),
        ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID);
    expectError("follow of a malformed user with request_id 0", p, s, follow(0, BAD_USER),
        ErrorReason.ERROR_REASON_REQUEST_ID_MISSING);
    expectError("unfollow of a malformed user with request_id 0", p, s, unfollow(0, BAD_USER),
        ErrorReason.ERROR_REASON_REQUEST_ID_MISSING);
    long subscriptions = limit(j.opened().getLimits().getMaxSubscriptions());
    for (int i = 0; i < subscriptions; i++) {
      p.subscribeAll(s, "full" + i);
    }
    expectError("subscribe without a target beyond max_subscriptions", p, s, subscribe(87, "more", null),
        ErrorReason.ERROR_REASON_TARGET_MISSING);
    expectError("subscribe to a malformed user beyond max_subscriptions", p, s, subscribe(88, "more",
        user(BAD_USER)), ErrorReason.ERROR_REASON_INVALID_USER_ID);
    expectError("subscribe with a malformed id beyond max_subscriptions", p, s, subscribe(89, BAD_ID,
        everyone()), ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID);
    long follows = limit(j.opened().getLimits().getMaxFollows());
    if (follows <= 4096) {
      for (int i = 0; i < follows; i++) {
        s.send(follow(1000 + i, "f" + i));
      }
      expectError("follow of a malformed user beyond max_follows", p, s, follow(90, BAD_USER),
          ErrorReason.ERROR_REASON_INVALID_USER_ID);
    }
  }

  private static void expectSubscriptionId(String label, ProtocolError error, String expected) {
    if (!error.getSubscriptionId().equals(expected)) {
      throw new CaseFailure(label + ": ProtocolError " + error.getReason() + " should carry subscription_id '"
          + expected + "'; carried '" + error.getSubscriptionId() + "'");
    }
  }

  private static void errorsNameValidSubscriptionIdsOnly(Probe p) throws InterruptedException {
    RawSession s = p.join("u1").session();
    expectSubscriptionId("subscribe without a target", expectError("subscribe 'ok'", p, s,
        subscribe(1, "ok", null), ErrorReason.ERROR_REASON_TARGET_MISSING), "ok");
    expectSubscriptionId("subscribe to a malformed user", expectError("subscribe 'u'", p, s,
        subscribe(2, "u", user(BAD_USER)), ErrorReason.ERROR_REASON_INVALID_USER_ID), "u");
    expectSubscriptionId("subscribe with a malformed id", expectError("subscribe '" + BAD_ID + "'", p, s,
        subscribe(3, BAD_ID, everyone()), ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID), "");
    expectSubscriptionId("unsubscribe of an unknown id", expectError("unsubscribe 'never'", p, s,
        unsubscribe(4, "never"), ErrorReason.ERROR_REASON_UNKNOWN_SUBSCRIPTION), "never");
    expectSubscriptionId("follow of a malformed user", expectError("follow", p, s, follow(5, BAD_USER),
        ErrorReason.ERROR_REASON_INVALID_USER_ID), "");
    expectSubscriptionId("update_state without a state", expectError("update_state", p, s,
        ConnectRequest.newBuilder().setRequestId(6).setUpdateState(UpdateState.getDefaultInstance()).build(),
        ErrorReason.ERROR_REASON_STATE_MISSING), "");
  }

  private static void onlyTheListedFramesAreAcknowledged(Probe p) throws InterruptedException {
    RawSession s = p.start("u1");
    int from = p.mark();
    s.send(Expect.open(p.openFrame("u1")).toBuilder().setRequestId(10).build());
    p.await(s, from, ConnectResponse::hasOpened, "opened");
    s.send(Expect.update(11, marked("acked?")));
    s.send(ConnectRequest.newBuilder().setRequestId(12).setClearState(ClearState.getDefaultInstance()).build());
    s.send(ConnectRequest.newBuilder().setRequestId(13).setPing(Ping.newBuilder().setNonce(13)).build());
    s.send(ConnectRequest.newBuilder().setRequestId(14).setPong(Pong.newBuilder().setNonce(14)).build());
    s.send(follow(15, "someone"));
    s.send(unfollow(16, "someone"));
    s.send(subscribe(17, "s", everyone()));
    s.send(unsubscribe(18, "s"));
    s.send(subscribe(19, "t", everyone()));
    s.send(unsubscribe(0, "t"));
    s.send(ConnectRequest.newBuilder().setPing(Ping.newBuilder().setNonce(99)).build());
    p.await(s, from, r -> r.hasPong() && r.getPong().getNonce() == 99, "the closing pong");
    p.quietPeriod();
    List<ConnectResponse> got = p.receivedSince(s, from);
    for (long id : new long[] {10, 11, 12, 13, 14, 0}) {
      expectAnswers(got, id, 0, 0);
    }
    for (long id : new long[] {15, 16, 18}) {
      expectAnswers(got, id, 1, 0);
    }
    expectAnswers(got, 17, 0, 1);
    expectAnswers(got, 19, 0, 1);
  }

  private static void expectAnswers(List<ConnectResponse> got, long id, long acks, long snapshotCompletes) {
    long a = got.stream().filter(r -> r.hasAck() && r.getAck().getRequestId() == id).count();
    long c = got.stream().filter(r -> r.hasSnapshotComplete() && r.getSnapshotComplete().getRequestId() == id)
        .count();
    if (a != acks || c != snapshotCompletes) {
      throw new CaseFailure("request_id " + id + " got " + a + " ack(s) and " + c + " snapshot_complete(s); "
          + "expected " + acks + " and " + snapshotCompletes);
    }
  }

  private static void duplicateRequestIdsAreEachAnsweredInOrder(Probe p) throws InterruptedException {
    RawSession s = p.join("u1").session();
    int from = p.mark();
    List<ConnectRequest> frames = List.of(follow(7, "x"), follow(7, BAD_USER), follow(7, "y"),
        subscribe(7, "d", everyone()), unfollow(7, "x"), unsubscribe(7, "nope"));
    frames.forEach(s::send);
    s.send(ConnectRequest.newBuilder().setPing(Ping.newBuilder().setNonce(98)).build());
    p.await(s, from, r -> r.hasPong() && r.getPong().getNonce() == 98, "the closing pong");
    p.quietPeriod();
    List<String> answers = new ArrayList<>();
    for (ConnectResponse r : p.receivedSince(s, from)) {
      if (Expect.answersRequest(r, 7)) {
        answers.add(r.hasError() ? r.getError().getReason().name() : r.getFrameCase().name());
      }
    }
    List<String> expected = List.of("ACK", "ERROR_REASON_INVALID_USER_ID", "ACK", "SNAPSHOT_COMPLETE", "ACK",
        "ERROR_REASON_UNKNOWN_SUBSCRIPTION");
    if (!answers.equals(expected)) {
      throw new CaseFailure("six frames with request_id 7 should be answered " + expected + "; were " + answers);
    }
  }

  private static void unfollowNullsOnlyUnderItsCondition(Probe p) throws InterruptedException {
    Joined followed = p.join("u1");
    String user = followed.opened().getSelf().getUserId();
    String absent = p.join("u3").opened().getSelf().getUserId();
    RawSession s = p.join("u2").session();
    int from = p.mark();
    Expect.send(followed.session(), marked("seen"));
    Expect.answer(p, s, subscribe(1, "one", user(user)));
    awaitEvent(p, s, from, user, "the user's state under a user_id subscription");
    Expect.answer(p, s, follow(2, user));
    expectNoNullBeforeAck(p, s, unfollow(3, user), user, "unfollow with no followed_users subscription");
    Expect.answer(p, s, unsubscribe(4, "one"));
    Expect.answer(p, s, subscribe(5, "f", SyncTarget.newBuilder().setFollowedUsers(FollowedUsers
        .getDefaultInstance()).build()));
    Expect.answer(p, s, follow(6, absent));
    expectNoNullBeforeAck(p, s, unfollow(7, absent), absent, "unfollow of a user without presence (view null)");
    from = p.mark();
    Expect.answer(p, s, follow(8, user));
    awaitEvent(p, s, from, user, "the followed user's state");
    from = p.mark();
    Expect.answer(p, s, unfollow(9, user));
    List<PresenceEvent> nulls = nullsBeforeAck(p.receivedSince(s, from), user, 9);
    if (nulls.size() != 1 || nulls.get(0).getNullReason() != NullReason.NULL_REASON_OUT_OF_SCOPE
        || !nulls.get(0).getSubscriptionIdsList().equals(List.of("f"))) {
      throw new CaseFailure("unfollow with a followed_users subscription and a non-null view should deliver one "
          + "OUT_OF_SCOPE null tagged [f] before the ack; got " + nulls);
    }
  }

  private static void expectNoNullBeforeAck(Probe p, RawSession s, ConnectRequest unfollow, String user,
      String label) throws InterruptedException {
    int from = p.mark();
    Expect.answer(p, s, unfollow);
    List<PresenceEvent> nulls = nullsBeforeAck(p.receivedSince(s, from), user, unfollow.getRequestId());
    if (!nulls.isEmpty()) {
      throw new CaseFailure(label + " delivered " + nulls);
    }
  }

  private static List<PresenceEvent> nullsBeforeAck(List<ConnectResponse> frames, String user, long id) {
    List<PresenceEvent> nulls = new ArrayList<>();
    for (ConnectResponse r : frames) {
      if (r.hasAck() && r.getAck().getRequestId() == id) {
        break;
      }
      r.getPresence().getEventsList().stream().filter(e -> e.getUserId().equals(user) && !e.hasState())
          .forEach(nulls::add);
    }
    return nulls;
  }
}
