package dev.presence.client;

import static dev.presence.client.testing.FakePresenceServer.batch;
import static dev.presence.client.testing.FakePresenceServer.snapshotComplete;
import static dev.presence.client.testing.FakePresenceServer.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.testing.Covers;
import dev.presence.client.testing.FakePresenceServer.Conn;
import dev.presence.client.testing.Harness;
import dev.presence.client.testing.Harness.Recorder;
import dev.presence.protocol.v1.ConnectRequest;
import io.grpc.Metadata;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Credentials, close, and callback isolation. */
class LifecycleTest {

  @Covers("PRS-TRN-3")
  @Test
  void tokenIsSentAsBearerMetadataAndAskedForAgainOnReconnect() {
    AtomicInteger n = new AtomicInteger();
    try (Harness h = new Harness(PresenceClient.builder().token(() -> "t" + n.incrementAndGet()))) {
      Conn conn = h.connect();
      Metadata.Key<String> auth = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
      assertThat(conn.headers().get(auth)).isEqualTo("Bearer t1");
      conn.fail(io.grpc.Status.UNAVAILABLE);
      Conn again = h.server.awaitConnection();
      assertThat(again.headers().get(auth)).isEqualTo("Bearer t2");
      assertThat(again.expect(ConnectRequest.FrameCase.OPEN).getOpen().getDevUserId()).isEmpty();
    }
  }

  @Test
  void closeLeavesAndIsIdempotent() {
    try (Harness h = new Harness()) {
      Conn conn = h.connect();
      h.client.close();
      h.client.close();
      List<ConnectRequest> last = conn.awaitClientEnd();
      assertThat(last).extracting(ConnectRequest::getFrameCase).containsExactly(ConnectRequest.FrameCase.LEAVE);
      assertThat(h.client.connectionState()).isEqualTo(ConnectionState.CLOSED);
      assertThat(h.connectionStates).endsWith(ConnectionState.CLOSED);
      assertThat(h.connectionStates.stream().filter(s -> s == ConnectionState.CLOSED)).hasSize(1);
      assertThat(h.client.connect()).isDone();
      // API calls after close are harmless no-ops.
      h.client.presence().update(Map.of("a", 1));
      h.client.presence().clear();
      assertThat(h.client.presence().sync(SyncTarget.all(), c -> { }).isActive()).isFalse();
      assertThat(h.client.users().follow("x")).isCompletedExceptionally();
    }
  }

  @Covers("PRS-PRV-1")
  @Test
  void throwingCallbackDoesNotBreakTheClient() {
    try (Harness h = new Harness()) {
      Conn conn = h.connect("alice");
      List<String> got = new CopyOnWriteArrayList<>();
      h.client.presence().sync(SyncTarget.all(), change -> {
        got.add(change.state().toJson());
        throw new IllegalStateException("listener bug");
      });
      Recorder other = new Recorder();
      h.client.presence().sync(SyncTarget.all(), other);
      ConnectRequest s1 = conn.expect(ConnectRequest.FrameCase.SUBSCRIBE);
      ConnectRequest s2 = conn.expect(ConnectRequest.FrameCase.SUBSCRIBE);
      conn.send(snapshotComplete(s1.getSubscribe().getSubscriptionId(), s1.getRequestId()));
      conn.send(snapshotComplete(s2.getSubscribe().getSubscriptionId(), s2.getRequestId()));
      conn.send(batch(state("alice", State.fromJson("{\"n\":1}").toStruct())));
      conn.send(batch(state("alice", State.fromJson("{\"n\":2}").toStruct())));
      h.settle(conn);
      assertThat(got).containsExactly("{\"n\":1.0}", "{\"n\":2.0}");
      assertThat(other.seen()).containsExactly("alice={\"n\":1.0}", "alice={\"n\":2.0}");
      assertThat(h.client.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Test
  void noCallbackRunsAfterCloseReturns() throws Exception {
    try (Harness h = new Harness()) {
      Conn conn = h.connect("alice");
      AtomicBoolean closeReturned = new AtomicBoolean();
      AtomicBoolean lateCallback = new AtomicBoolean();
      AtomicInteger calls = new AtomicInteger();
      CountDownLatch firstCallback = new CountDownLatch(1);
      h.client.presence().sync(SyncTarget.all(), change -> {
        if (closeReturned.get()) {
          lateCallback.set(true);
        }
        calls.incrementAndGet();
        firstCallback.countDown();
      });
      ConnectRequest sub = conn.expect(ConnectRequest.FrameCase.SUBSCRIBE);
      conn.send(snapshotComplete(sub.getSubscribe().getSubscriptionId(), sub.getRequestId()));
      // Keep events flowing while close() happens on this thread.
      Thread pump = new Thread(() -> {
        for (int i = 0; i < 2000 && !conn.clientEnded(); i++) {
          try {
            conn.send(batch(state("alice", State.of(Map.of("i", i)).toStruct())));
          } catch (RuntimeException e) {
            return;
          }
        }
      });
      pump.start();
      assertThat(firstCallback.await(5, TimeUnit.SECONDS)).isTrue();
      h.client.close();
      closeReturned.set(true);
      pump.join(5_000);
      h.drainCallbacks();
      assertThat(calls.get()).isPositive();
      assertThat(lateCallback).isFalse();
    }
  }

  @Test
  void subscriptionCloseWaitsForARunningCallback() throws Exception {
    try (Harness h = new Harness()) {
      Conn conn = h.connect("alice");
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicBoolean finished = new AtomicBoolean();
      Subscription sub = h.client.presence().sync(SyncTarget.all(), change -> {
        entered.countDown();
        try {
          release.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        finished.set(true);
      });
      ConnectRequest s = conn.expect(ConnectRequest.FrameCase.SUBSCRIBE);
      String id = s.getSubscribe().getSubscriptionId();
      conn.send(batch(state("alice", State.empty().toStruct(), id)));
      assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
      Thread closer = new Thread(sub::close);
      closer.start();
      // close() must still be blocked while the callback runs; checking after a join timeout is a real check.
      closer.join(100);
      boolean blockedWhileRunning = closer.isAlive();
      release.countDown();
      closer.join(5_000);
      assertThat(blockedWhileRunning).isTrue();
      assertThat(finished).isTrue();
      assertThat(closer.isAlive()).isFalse();
    }
  }

  @Covers("PRS-ROOM-1")
  @Test
  void roomIdsOutsideTheFormatAreRefusedBeforeAnythingIsSent() {
    PresenceClient.Builder builder = PresenceClient.builder();
    for (String bad : new String[] {"", "has space", "slash/room", "x".repeat(129), "caf\u00e9"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.room(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    builder.room("Doc-42.v1:~_" + "x".repeat(116));
  }
}
