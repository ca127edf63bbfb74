package dev.presence.client;

import static dev.presence.client.testing.FakePresenceServer.ack;
import static dev.presence.client.testing.FakePresenceServer.batch;
import static dev.presence.client.testing.FakePresenceServer.nul;
import static dev.presence.client.testing.FakePresenceServer.snapshotComplete;
import static dev.presence.client.testing.FakePresenceServer.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import dev.presence.client.testing.Covers;
import dev.presence.client.testing.FakePresenceServer.Conn;
import dev.presence.client.testing.Harness;
import dev.presence.client.testing.Harness.Recorder;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.NullReason;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Event routing of SPEC §9: tagged events by name, live events by confirmed target and follow set. */
class RoutingTest {
  private final Harness h = new Harness();

  @AfterEach
  void close() {
    h.close();
  }

  static Struct s(String json) {
    return State.fromJson(json).toStruct();
  }

  private ConnectRequest subscribe(Conn conn) {
    return conn.expect(ConnectRequest.FrameCase.SUBSCRIBE);
  }

  @Covers("PRS-EVT-2")
  @Test
  void snapshotThenLiveEventsForAll() {
    Conn conn = h.connect("alice", "bob");
    Recorder rec = new Recorder();
    h.client.presence().sync(SyncTarget.all(), rec);
    ConnectRequest sub = subscribe(conn);
    assertThat(sub.getSubscribe().getTarget().hasAllUsers()).isTrue();
    assertThat(sub.getRequestId()).isNotZero();
    String id = sub.getSubscribe().getSubscriptionId();
    conn.send(batch(state("alice", s("{\"x\":1}"), id), state("bob", s("{\"x\":2}"), id)));
    conn.send(snapshotComplete(id, sub.getRequestId()));
    conn.send(batch(state("alice", s("{\"x\":3}")), nul("bob", NullReason.NULL_REASON_LEFT)));
    h.settle(conn);
    assertThat(rec.seen()).containsExactly("alice={\"x\":1.0}", "bob={\"x\":2.0}", "alice={\"x\":3.0}",
        "bob=null:LEFT");
    assertThat(h.client.presence().getStates()).containsOnlyKeys("alice");
    assertThat(h.client.presence().getState("alice").getDouble("x")).isEqualTo(3.0);
    assertThat(h.client.presence().getState("bob")).isNull();
  }

  @Covers("PRS-EVT-3")
  @Test
  void liveEventsWaitForTheSnapshotComplete() {
    Conn conn = h.connect("alice");
    Recorder first = new Recorder();
    h.client.presence().sync(SyncTarget.all(), first);
    ConnectRequest s1 = subscribe(conn);
    conn.send(snapshotComplete(s1.getSubscribe().getSubscriptionId(), s1.getRequestId()));
    Recorder second = new Recorder();
    h.client.presence().sync(SyncTarget.all(), second);
    ConnectRequest s2 = subscribe(conn);
    // The server processed the second subscribe after this live event was queued: it is for s1 only.
    conn.send(batch(state("alice", s("{\"a\":1}"))));
    h.settle(conn);
    assertThat(first.seen()).containsExactly("alice={\"a\":1.0}");
    assertThat(second.seen()).isEmpty();
    String id2 = s2.getSubscribe().getSubscriptionId();
    conn.send(batch(state("alice", s("{\"a\":1}"), id2)));
    conn.send(snapshotComplete(id2, s2.getRequestId()));
    conn.send(batch(state("alice", s("{\"a\":2}"))));
    h.settle(conn);
    assertThat(first.seen()).containsExactly("alice={\"a\":1.0}", "alice={\"a\":2.0}");
    assertThat(second.seen()).containsExactly("alice={\"a\":1.0}", "alice={\"a\":2.0}");
  }

  @Covers("PRS-EVT-4")
  @Test
  void taggedEventsGoOnlyToTheNamedSubscriptionWhateverItsTarget() {
    Conn conn = h.connect("alice", "bob");
    Recorder all = new Recorder();
    Recorder onlyBob = new Recorder();
    h.client.presence().sync(SyncTarget.all(), all);
    ConnectRequest sa = subscribe(conn);
    h.client.presence().sync(SyncTarget.user("bob"), onlyBob);
    ConnectRequest sb = subscribe(conn);
    assertThat(sb.getSubscribe().getTarget().getUserId()).isEqualTo("bob");
    String a = sa.getSubscribe().getSubscriptionId();
    String b = sb.getSubscribe().getSubscriptionId();
    conn.send(batch(state("alice", s("{\"n\":1}"), a)));
    conn.send(snapshotComplete(a, sa.getRequestId()));
    conn.send(batch(state("bob", s("{\"n\":2}"), b)));
    conn.send(snapshotComplete(b, sb.getRequestId()));
    h.settle(conn);
    assertThat(all.seen()).containsExactly("alice={\"n\":1.0}");
    assertThat(onlyBob.seen()).containsExactly("bob={\"n\":2.0}");
    // A live event about bob reaches both; one about alice only the '*' subscription.
    conn.send(batch(state("bob", s("{\"n\":3}")), state("alice", s("{\"n\":4}"))));
    h.settle(conn);
    assertThat(all.seen()).containsExactly("alice={\"n\":1.0}", "bob={\"n\":3.0}", "alice={\"n\":4.0}");
    assertThat(onlyBob.seen()).containsExactly("bob={\"n\":2.0}", "bob={\"n\":3.0}");
  }

  @Covers("PRS-EVT-8")
  @Covers("PRS-EVT-2")
  @Test
  void nullsOnlyReachSubscriptionsThatHeldAState() {
    Conn conn = h.connect("alice");
    Recorder rec = new Recorder();
    h.client.presence().sync(SyncTarget.all(), rec);
    ConnectRequest sub = subscribe(conn);
    String id = sub.getSubscribe().getSubscriptionId();
    conn.send(snapshotComplete(id, sub.getRequestId()));
    conn.send(batch(nul("alice", NullReason.NULL_REASON_CLEARED)));
    conn.send(batch(state("alice", s("{}")), nul("alice", NullReason.NULL_REASON_CLEARED),
        nul("alice", NullReason.NULL_REASON_LEFT)));
    h.settle(conn);
    assertThat(rec.seen()).containsExactly("alice={}", "alice=null:CLEARED");
  }

  @Covers("PRS-EVO-4")
  @Test
  void unknownNullReasonIsStillANull() {
    Conn conn = h.connect("alice");
    Recorder rec = new Recorder();
    h.client.presence().sync(SyncTarget.all(), rec);
    ConnectRequest sub = subscribe(conn);
    String id = sub.getSubscribe().getSubscriptionId();
    conn.send(batch(state("alice", s("{}"), id)));
    conn.send(snapshotComplete(id, sub.getRequestId()));
    conn.send(batch(dev.presence.protocol.v1.PresenceEvent.newBuilder().setUserId("alice")
        .setNullReasonValue(99).build()));
    h.settle(conn);
    assertThat(rec.seen()).containsExactly("alice={}", "alice=null:UNKNOWN");
  }

  @Covers("PRS-EVT-3")
  @Test
  void followingCoversOnlyAckedFollows() throws Exception {
    Conn conn = h.connect("alice", "bob");
    Recorder rec = new Recorder();
    h.client.presence().sync(SyncTarget.following(), rec);
    ConnectRequest sub = subscribe(conn);
    assertThat(sub.getSubscribe().getTarget().hasFollowedUsers()).isTrue();
    String id = sub.getSubscribe().getSubscriptionId();
    conn.send(snapshotComplete(id, sub.getRequestId()));

    CompletableFuture<Void> follow = h.client.users().get("alice").orElseThrow().follow();
    ConnectRequest f = conn.expect(ConnectRequest.FrameCase.FOLLOW);
    assertThat(f.getFollow().getUserId()).isEqualTo("alice");
    assertThat(f.getRequestId()).isNotZero();
    // Before the ack, live events about alice are not for 'following'.
    conn.send(batch(state("alice", s("{\"v\":0}"))));
    conn.send(batch(state("alice", s("{\"v\":1}"), id)));
    conn.send(ack(f.getRequestId()));
    assertThat(follow).succeedsWithin(Duration.ofSeconds(5));
    conn.send(batch(state("alice", s("{\"v\":2}")), state("bob", s("{\"v\":9}"))));
    h.settle(conn);
    assertThat(rec.seen()).containsExactly("alice={\"v\":1.0}", "alice={\"v\":2.0}");
    assertThat(h.client.users().following()).containsExactly("alice");
    assertThat(h.client.users().get("alice").orElseThrow().isFollowed()).isTrue();

    CompletableFuture<Void> unfollow = h.client.users().unfollow("alice");
    ConnectRequest u = conn.expect(ConnectRequest.FrameCase.UNFOLLOW);
    conn.send(batch(nul("alice", NullReason.NULL_REASON_OUT_OF_SCOPE, id)));
    conn.send(ack(u.getRequestId()));
    assertThat(unfollow).succeedsWithin(Duration.ofSeconds(5));
    conn.send(batch(state("alice", s("{\"v\":3}"))));
    h.settle(conn);
    assertThat(rec.seen()).containsExactly("alice={\"v\":1.0}", "alice={\"v\":2.0}", "alice=null:OUT_OF_SCOPE");
    assertThat(h.client.users().following()).isEmpty();
  }

  @Test
  void unsubscribeStopsCallbacksAndSendsUnsubscribe() {
    Conn conn = h.connect("alice");
    Recorder rec = new Recorder();
    Subscription subscription = h.client.presence().sync(SyncTarget.all(), rec);
    ConnectRequest sub = subscribe(conn);
    String id = sub.getSubscribe().getSubscriptionId();
    conn.send(batch(state("alice", s("{}"), id)));
    conn.send(snapshotComplete(id, sub.getRequestId()));
    h.settle(conn);
    subscription.close();
    assertThat(subscription.isActive()).isFalse();
    ConnectRequest un = conn.expect(ConnectRequest.FrameCase.UNSUBSCRIBE);
    assertThat(un.getUnsubscribe().getSubscriptionId()).isEqualTo(id);
    conn.send(batch(nul("alice", NullReason.NULL_REASON_OUT_OF_SCOPE, id)));
    conn.send(batch(state("alice", s("{\"late\":true}"))));
    h.settle(conn);
    assertThat(rec.seen()).containsExactly("alice={}");
    assertThat(h.client.presence().getStates()).isEmpty();
  }

  @Test
  void unsyncEndsEverySubscription() {
    Conn conn = h.connect();
    Subscription a = h.client.presence().sync(SyncTarget.all(), new Recorder());
    Subscription b = h.client.presence().sync(SyncTarget.user("zed"), new Recorder());
    subscribe(conn);
    subscribe(conn);
    h.client.presence().unsync();
    assertThat(conn.expect(ConnectRequest.FrameCase.UNSUBSCRIBE).getUnsubscribe().getSubscriptionId())
        .isNotEqualTo(conn.expect(ConnectRequest.FrameCase.UNSUBSCRIBE).getUnsubscribe().getSubscriptionId());
    assertThat(a.isActive()).isFalse();
    assertThat(b.isActive()).isFalse();
  }

  @Test
  void refusedSubscriptionReportsTheErrorAndCloses() {
    Conn conn = h.connect();
    PresenceException[] got = new PresenceException[1];
    Subscription subscription = h.client.presence().sync(SyncTarget.all(), new PresenceListener() {
      @Override
      public void onChange(PresenceChange change) {}

      @Override
      public void onError(PresenceException error) {
        got[0] = error;
      }
    });
    ConnectRequest sub = subscribe(conn);
    conn.send(dev.presence.client.testing.FakePresenceServer.error(
        dev.presence.protocol.v1.ErrorReason.ERROR_REASON_TOO_MANY_SUBSCRIPTIONS, sub.getRequestId(),
        sub.getSubscribe().getSubscriptionId()));
    h.settle(conn);
    assertThat(got[0]).isNotNull();
    assertThat(got[0].reason()).isEqualTo("TOO_MANY_SUBSCRIPTIONS");
    assertThat(got[0].isFatal()).isFalse();
    assertThat(subscription.isActive()).isFalse();
  }

  @Test
  void membershipDirectoryFollowsJoinsAndLeaves() {
    Conn conn = h.connect("alice");
    assertThat(h.client.userId()).isEqualTo("me");
    assertThat(h.client.users().all()).containsOnlyKeys("me", "alice");
    assertThat(h.client.users().get("alice").orElseThrow().displayName()).isEqualTo("ALICE");
    assertThat(h.client.users().get("me").orElseThrow().isSelf()).isTrue();
    java.util.List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    h.client.users().onMembership(new MembershipListener() {
      @Override
      public void onJoined(User user) {
        events.add("+" + user.id());
      }

      @Override
      public void onLeft(User user, dev.presence.client.NullReason reason) {
        events.add("-" + user.id() + ":" + reason);
      }
    });
    conn.send(dev.presence.client.testing.FakePresenceServer.joined("carol"));
    conn.send(dev.presence.client.testing.FakePresenceServer.left("alice", NullReason.NULL_REASON_TIMED_OUT));
    h.settle(conn);
    assertThat(events).containsExactly("+carol", "-alice:TIMED_OUT");
    assertThat(h.client.users().all()).containsOnlyKeys("me", "carol");
  }
}
