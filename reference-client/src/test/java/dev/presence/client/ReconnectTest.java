package dev.presence.client;

import static dev.presence.client.testing.FakePresenceServer.ack;
import static dev.presence.client.testing.FakePresenceServer.batch;
import static dev.presence.client.testing.FakePresenceServer.snapshotComplete;
import static dev.presence.client.testing.FakePresenceServer.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.rpc.ErrorInfo;
import dev.presence.client.testing.Covers;
import dev.presence.client.testing.FakePresenceServer;
import dev.presence.client.testing.FakePresenceServer.Conn;
import dev.presence.client.testing.Harness;
import dev.presence.client.testing.Harness.Recorder;
import dev.presence.protocol.v1.ConnectRequest;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §15: reopen, restore, and report only what changed during the outage. */
@Covers("PRS-RCN-1")
@Covers("PRS-RCN-2")
class ReconnectTest {
  private final Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  static Struct s(String json) {
    return State.fromJson(json).toStruct();
  }

  @Test
  void reconnectRestoresEverythingAndDiffsTheSnapshot() {
    Conn conn = h.connect("alice", "bob", "carol");
    h.client.presence().update(Map.of("mine", 1));
    conn.expect(ConnectRequest.FrameCase.UPDATE_STATE);
    CompletableFuture<Void> follow = h.client.users().follow("alice");
    ConnectRequest f = conn.expect(ConnectRequest.FrameCase.FOLLOW);
    conn.send(ack(f.getRequestId()));
    assertThat(follow).succeedsWithin(Duration.ofSeconds(5));
    Recorder rec = new Recorder();
    h.client.presence().sync(SyncTarget.all(), rec);
    ConnectRequest sub = conn.expect(ConnectRequest.FrameCase.SUBSCRIBE);
    String id = sub.getSubscribe().getSubscriptionId();
    conn.send(batch(state("alice", s("{\"a\":1}"), id), state("bob", s("{\"b\":1}"), id),
        state("carol", s("{\"c\":1}"), id)));
    conn.send(snapshotComplete(id, sub.getRequestId()));
    h.settle(conn);
    rec.reset();

    conn.fail(Status.UNAVAILABLE.withDescription("scripted outage"));
    Conn again = h.server.awaitConnection();
    ConnectRequest open = again.open("me", "me", "alice", "carol");
    assertThat(open.getOpen().getRoomId()).isEqualTo("room-1");
    assertThat(open.getOpen().getDevUserId()).isEqualTo("me");
    ConnectRequest resent = again.expect(ConnectRequest.FrameCase.UPDATE_STATE);
    assertThat(State.of(resent.getUpdateState().getState()).getDouble("mine")).isEqualTo(1.0);
    ConnectRequest refollow = again.expect(ConnectRequest.FrameCase.FOLLOW);
    assertThat(refollow.getFollow().getUserId()).isEqualTo("alice");
    again.send(ack(refollow.getRequestId()));
    ConnectRequest resub = again.expect(ConnectRequest.FrameCase.SUBSCRIBE);
    assertThat(resub.getSubscribe().getSubscriptionId()).isEqualTo(id);
    assertThat(resub.getSubscribe().getTarget().hasAllUsers()).isTrue();
    // alice unchanged, bob gone, carol changed, dave new.
    again.send(batch(state("alice", s("{\"a\":1}"), id), state("carol", s("{\"c\":2}"), id),
        state("dave", s("{\"d\":1}"), id)));
    h.settle(again);
    // Until the snapshot is complete, absence proves nothing.
    assertThat(rec.seen()).containsExactly("carol={\"c\":2.0}", "dave={\"d\":1.0}");
    again.send(snapshotComplete(id, resub.getRequestId()));
    h.settle(again);
    assertThat(rec.seen()).containsExactly("carol={\"c\":2.0}", "dave={\"d\":1.0}", "bob=null:LEFT");
    assertThat(h.client.presence().getStates()).containsOnlyKeys("alice", "carol", "dave");
    assertThat(h.client.users().following()).containsExactly("alice");
    assertThat(h.client.users().all()).containsOnlyKeys("me", "alice", "carol");
    assertThat(h.connectionStates).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
        ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
  }

  @Test
  void userStillInTheRoomWithoutStateIsReportedCleared() {
    Conn conn = h.connect("alice");
    Recorder rec = new Recorder();
    h.client.presence().sync(SyncTarget.all(), rec);
    ConnectRequest sub = conn.expect(ConnectRequest.FrameCase.SUBSCRIBE);
    String id = sub.getSubscribe().getSubscriptionId();
    conn.send(batch(state("alice", s("{}"), id)));
    conn.send(snapshotComplete(id, sub.getRequestId()));
    h.settle(conn);
    conn.complete();
    Conn again = h.server.awaitConnection();
    again.open("me", "me", "alice");
    ConnectRequest resub = again.expect(ConnectRequest.FrameCase.SUBSCRIBE);
    again.send(snapshotComplete(id, resub.getRequestId()));
    h.settle(again);
    assertThat(rec.seen()).containsExactly("alice={}", "alice=null:CLEARED");
  }

  @Test
  void updatesDuringTheOutageAreSentOnceReopenedAsTheLatestOnly() {
    Conn conn = h.connect();
    conn.fail(Status.UNAVAILABLE);
    Harness.await("reconnecting", () -> h.client.connectionState() == ConnectionState.RECONNECTING
        || h.server.waitingConnections() > 0);
    h.client.presence().update(Map.of("n", 1));
    h.client.presence().update(Map.of("n", 2));
    Conn again = h.server.awaitConnection();
    again.open("me", "me");
    ConnectRequest r = again.expect(ConnectRequest.FrameCase.UPDATE_STATE);
    assertThat(State.of(r.getUpdateState().getState()).getDouble("n")).isEqualTo(2.0);
    h.settle(again);
  }

  @Test
  void nonRetryableStatusClosesTheClientWithTheReason() {
    h.client.connect();
    Conn conn = h.server.awaitConnection();
    conn.expect(ConnectRequest.FrameCase.OPEN);
    com.google.rpc.Status details = com.google.rpc.Status.newBuilder()
        .setCode(Status.Code.UNAUTHENTICATED.value())
        .setMessage("no token")
        .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain("presence.v1").setReason("UNAUTHENTICATED").build()))
        .build();
    conn.fail(StatusProto.toStatusRuntimeException(details));
    assertThat(h.client.connect()).failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class).havingCause().isInstanceOf(PresenceException.class)
        .satisfies(e -> {
          assertThat(((PresenceException) e).reason()).isEqualTo("UNAUTHENTICATED");
          assertThat(((PresenceException) e).isFatal()).isTrue();
        });
    Harness.await("CLOSED reported", () -> h.connectionStates.contains(ConnectionState.CLOSED));
    assertThat(h.client.connectionState()).isEqualTo(ConnectionState.CLOSED);
    assertThat(h.connectionStates).containsExactly(ConnectionState.CONNECTING, ConnectionState.CLOSED);
    assertThat(h.server.waitingConnections()).isZero();
  }

  @Test
  void firstConnectRetriesTransientFailures() {
    var future = h.client.connect();
    Conn first = h.server.awaitConnection();
    first.expect(ConnectRequest.FrameCase.OPEN);
    first.fail(Status.UNAVAILABLE);
    Conn second = h.server.awaitConnection();
    second.open("me", "me");
    assertThat(future).succeedsWithin(Duration.ofSeconds(5));
    h.drainCallbacks();
    assertThat(h.connectionStates).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
  }

  @Test
  void followAndUnfollowInFlightDuringAnOutageSettleOnTheNewSession() {
    Conn conn = h.connect("alice", "bob");
    CompletableFuture<Void> followAlice = h.client.users().follow("alice");
    CompletableFuture<Void> followBob = h.client.users().follow("bob");
    ConnectRequest fa = conn.expect(ConnectRequest.FrameCase.FOLLOW);
    ConnectRequest fb = conn.expect(ConnectRequest.FrameCase.FOLLOW);
    conn.send(ack(fb.getRequestId()));
    assertThat(followBob).succeedsWithin(Duration.ofSeconds(5));
    CompletableFuture<Void> unfollowBob = h.client.users().unfollow("bob");
    conn.expect(ConnectRequest.FrameCase.UNFOLLOW);
    assertThat(fa.getFollow().getUserId()).isEqualTo("alice");
    // Neither the follow of alice nor the unfollow of bob is answered before the outage.
    conn.fail(Status.UNAVAILABLE);
    Conn again = h.server.awaitConnection();
    again.open("me", "me", "alice", "bob");
    ConnectRequest refollow = again.expect(ConnectRequest.FrameCase.FOLLOW);
    assertThat(refollow.getFollow().getUserId()).isEqualTo("alice");
    // A new session starts with an empty follow set: the unfollow is already true there.
    assertThat(unfollowBob).succeedsWithin(Duration.ofSeconds(5));
    assertThat(followAlice).isNotDone();
    again.send(ack(refollow.getRequestId()));
    assertThat(followAlice).succeedsWithin(Duration.ofSeconds(5));
    assertThat(h.client.users().following()).containsExactly("alice");
  }

  @Covers("PRS-RCN-8")
  @Test
  void restoreSendsTheLatestStateThenEveryFollowThenEverySubscriptionWithItsPreviousId() {
    Conn conn = h.connect("alice", "bob");
    h.client.presence().update(Map.of("n", 1));
    conn.expect(ConnectRequest.FrameCase.UPDATE_STATE);
    for (String user : new String[] {"alice", "bob"}) {
      h.client.users().follow(user);
      conn.send(ack(conn.expect(ConnectRequest.FrameCase.FOLLOW).getRequestId()));
    }
    h.client.presence().sync(SyncTarget.all(), change -> { });
    h.client.presence().sync(SyncTarget.following(), change -> { });
    List<ConnectRequest> subscribes = List.of(conn.expect(ConnectRequest.FrameCase.SUBSCRIBE),
        conn.expect(ConnectRequest.FrameCase.SUBSCRIBE));
    h.settle(conn);
    conn.fail(Status.UNAVAILABLE);

    Conn again = h.server.awaitConnection();
    again.open("me", "me", "alice", "bob");
    again.barrier();
    List<ConnectRequest> restore = again.unread();
    assertThat(restore).extracting(ConnectRequest::getFrameCase).containsExactly(
        ConnectRequest.FrameCase.UPDATE_STATE, ConnectRequest.FrameCase.FOLLOW, ConnectRequest.FrameCase.FOLLOW,
        ConnectRequest.FrameCase.SUBSCRIBE, ConnectRequest.FrameCase.SUBSCRIBE);
    assertThat(State.of(restore.get(0).getUpdateState().getState()).getDouble("n")).isEqualTo(1.0);
    assertThat(restore.subList(1, 3)).extracting(r -> r.getFollow().getUserId()).containsExactly("alice", "bob");
    assertThat(restore.subList(3, 5)).extracting(r -> r.getSubscribe())
        .isEqualTo(subscribes.stream().map(ConnectRequest::getSubscribe).toList());
  }

  @Covers("PRS-RCN-9")
  @Test
  void theMemberListIsComparedWithTheNewOpenedMembers() {
    Conn conn = h.connect("alice", "bob");
    List<String> events = new CopyOnWriteArrayList<>();
    h.client.users().onMembership(new MembershipListener() {
      @Override
      public void onJoined(User user) {
        events.add("+" + user.id());
      }

      @Override
      public void onLeft(User user, NullReason reason) {
        events.add("-" + user.id() + ":" + reason);
      }
    });
    conn.fail(Status.UNAVAILABLE);
    Conn again = h.server.awaitConnection();
    again.open("me", "me", "bob", "carol");
    h.settle(again);
    assertThat(events).containsExactly("-alice:LEFT", "+carol");
    assertThat(h.client.users().all()).containsOnlyKeys("me", "bob", "carol");
  }

  @Covers("PRS-RCN-5")
  @Test
  void tooManySessionsAfterANetworkChangeIsRetriedBeyondLeaveDetectionPlusTheWindow() {
    h.client.connect();
    Conn conn = h.server.awaitConnection();
    long leaveDetection = 300;
    long window = 50;
    conn.open(FakePresenceServer.defaultLimits().setMaxSessionsPerUser(1)
        .setLeaveDetectionMillis((int) leaveDetection).setThrottleWindowMillis((int) window).build(), "me", "me");
    long lostAt = System.nanoTime();
    conn.fail(Status.UNAVAILABLE.withDescription("network changed"));
    int refused = 0;
    // The old session is still live on the server until it detects the loss: every open is refused until then.
    while (System.nanoTime() - lostAt < TimeUnit.MILLISECONDS.toNanos(leaveDetection + window + 100)) {
      Conn attempt = h.server.awaitConnection();
      attempt.expect(ConnectRequest.FrameCase.OPEN);
      attempt.fail(FakePresenceServer.fatal(Status.Code.RESOURCE_EXHAUSTED, "TOO_MANY_SESSIONS"));
      refused++;
    }
    Conn accepted = h.server.awaitConnection();
    accepted.open("me", "me");
    Harness.await("connected again", () -> h.client.connectionState() == ConnectionState.CONNECTED
        && h.connectionStates.size() == 4);
    assertThat(refused).isPositive();
    assertThat(h.connectionStates).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED,
        ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
  }
}
