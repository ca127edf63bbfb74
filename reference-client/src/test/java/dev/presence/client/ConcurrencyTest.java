package dev.presence.client;

import static dev.presence.client.testing.FakePresenceServer.batch;
import static dev.presence.client.testing.FakePresenceServer.snapshotComplete;
import static dev.presence.client.testing.FakePresenceServer.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.testing.FakePresenceServer;
import dev.presence.client.testing.FakePresenceServer.Conn;
import dev.presence.client.testing.Harness;
import dev.presence.protocol.v1.ConnectRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many threads against one client: no deadlock, no lost last state, ordered callbacks. */
class ConcurrencyTest {

  @Test
  void manyThreadsUpdatingAndSyncingNeverLoseTheLastState() throws Exception {
    try (Harness h = new Harness()) {
      Conn conn = h.connect("alice");
      // Answer subscribes as they come, so routing runs while updates race.
      List<ConnectRequest> updates = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread serverSide = new Thread(() -> {
        try {
          while (true) {
            ConnectRequest r = conn.next();
            switch (r.getFrameCase()) {
              case SUBSCRIBE -> {
                String id = r.getSubscribe().getSubscriptionId();
                conn.send(batch(state("alice", State.empty().toStruct(), id)));
                conn.send(snapshotComplete(id, r.getRequestId()));
              }
              case UPDATE_STATE -> updates.add(r);
              default -> { }
            }
            if (r.hasUpdateState() && State.of(r.getUpdateState().getState()).has("final")) {
              return;
            }
          }
        } catch (AssertionError e) {
          // The stream ended or went quiet; the main thread's assertions report what is missing.
        }
      });
      serverSide.start();

      int threads = 8;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 300; i++) {
            h.client.presence().update(Map.of("t", id, "i", i));
            if (i % 50 == 0) {
              Subscription s = h.client.presence().sync(SyncTarget.all(), c -> { });
              h.client.presence().getStates();
              if (i % 100 == 0) {
                s.close();
              }
            }
            h.client.presence().getState();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
      h.client.presence().update(Map.of("final", true));
      assertThat(h.client.presence().getState().getBoolean("final")).isTrue();
      serverSide.join(FakePresenceServer.TIMEOUT_MILLIS);
      assertThat(serverSide.isAlive()).as("server saw the final state").isFalse();
      ConnectRequest last = updates.get(updates.size() - 1);
      assertThat(State.of(last.getUpdateState().getState()).getBoolean("final")).isTrue();
      // 2400 updates in far less time than 2400 windows: the throttle coalesced them.
      assertThat(updates.size()).isLessThan(2400);
    }
  }

  @Test
  void callbacksArriveInServerOrderOnOneThreadAtATime() throws Exception {
    try (Harness h = new Harness()) {
      Conn conn = h.connect("alice");
      List<Double> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicBoolean overlap = new java.util.concurrent.atomic.AtomicBoolean();
      for (int k = 0; k < 3; k++) {
        h.client.presence().sync(SyncTarget.all(), c -> {
          if (inside.incrementAndGet() != 1) {
            overlap.set(true);
          }
          seen.add(c.state().getDouble("i"));
          inside.decrementAndGet();
        });
      }
      for (int k = 0; k < 3; k++) {
        ConnectRequest s = conn.expect(ConnectRequest.FrameCase.SUBSCRIBE);
        conn.send(snapshotComplete(s.getSubscribe().getSubscriptionId(), s.getRequestId()));
      }
      for (int i = 0; i < 500; i++) {
        conn.send(batch(state("alice", State.of(Map.of("i", i)).toStruct())));
      }
      h.settle(conn);
      assertThat(overlap).isFalse();
      assertThat(seen).hasSize(1500);
      for (int i = 0; i < 500; i++) {
        assertThat(seen.subList(i * 3, i * 3 + 3)).containsOnly((double) i);
      }
    }
  }

  @Test
  void updatesRacingRepeatedOutagesEndWithTheLatestStateOnTheServer() throws Exception {
    try (Harness h = new Harness()) {
      Conn conn = h.connect();
      java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int id = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; !stop.get(); i++) {
            h.client.presence().update(Map.of("t", id, "i", i));
            if (i % 7 == 0) {
              h.client.presence().sync(SyncTarget.all(), c -> { }).close();
            }
            Thread.yield();
          }
          return null;
        }));
      }
      for (int cycle = 0; cycle < 5; cycle++) {
        conn.fail(io.grpc.Status.UNAVAILABLE.withDescription("outage " + cycle));
        conn = h.server.awaitConnection();
        conn.open("me", "me");
      }
      stop.set(true);
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
      State latest = h.client.presence().getState();
      conn.fail(io.grpc.Status.UNAVAILABLE.withDescription("last outage"));
      conn = h.server.awaitConnection();
      conn.open("me", "me");
      ConnectRequest resent = conn.expect(ConnectRequest.FrameCase.UPDATE_STATE);
      assertThat(State.of(resent.getUpdateState().getState())).isEqualTo(latest);
      assertThat(h.client.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }
  }
}
