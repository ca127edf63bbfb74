package dev.presence.client.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.ConnectionState;
import dev.presence.client.PresenceClient;
import dev.presence.client.Subscription;
import dev.presence.client.SyncTarget;
import dev.presence.client.testing.Harness.Recorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One client used from many threads at once against the reference server. */
class ConcurrentUseTest {
  private static final int THREADS = 8;
  private static final int OPERATIONS = 150;
  private RealServer server;

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void everyOperationFromManyThreadsKeepsItsContract() throws Exception {
    server = RealServer.start(b -> b);
    List<String> others = List.of("u0", "u1", "u2", "u3");
    for (String id : others) {
      server.client("r", id).presence().update(Map.of("who", id));
    }
    PresenceClient shared = server.client("r", "ada");
    PresenceClient eve = server.client("r", "eve");
    Recorder eveSees = new Recorder();
    eve.presence().sync(SyncTarget.user("ada"), eveSees);

    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> follows = new CopyOnWriteArrayList<>();
    List<Recorder> syncs = new CopyOnWriteArrayList<>();
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      threads.add(new Thread(() -> {
        try {
          start.await();
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = 0; i < OPERATIONS; i++) {
            String other = others.get(random.nextInt(others.size()));
            switch (random.nextInt(6)) {
              case 0 -> shared.presence().update(Map.of("thread", thread, "i", i));
              case 1 -> shared.presence().clear();
              case 2 -> follows.add(random.nextBoolean() ? shared.users().follow(other)
                  : shared.users().unfollow(other));
              case 3 -> {
                Recorder r = new Recorder();
                syncs.add(r);
                Subscription s = shared.presence().sync(
                    random.nextBoolean() ? SyncTarget.all() : SyncTarget.following(), r);
                Thread.yield();
                s.close();
              }
              case 4 -> assertThat(shared.presence().getStates().keySet())
                  .isSubsetOf(Set.of("u0", "u1", "u2", "u3", "ada"));
              default -> assertThat(shared.users().all()).containsKey("ada");
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "user-thread-" + t));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(RealServer.PATIENCE.toMillis());
      assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
    }
    assertThat(failures).isEmpty();
    CompletableFuture.allOf(follows.toArray(new CompletableFuture<?>[0]))
        .get(RealServer.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

    // Settle on a known end: the last update wins on the wire and at eve, and the follow set is what was asked.
    shared.presence().update(Map.of("final", true));
    for (String id : others) {
      (id.equals("u0") ? shared.users().follow(id) : shared.users().unfollow(id))
          .get(RealServer.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }
    RealServer.await("eve sees the final state", () -> !eveSees.changes.isEmpty()
        && eveSees.changes.get(eveSees.changes.size() - 1).state() != null
        && eveSees.changes.get(eveSees.changes.size() - 1).state().has("final"));
    assertThat(shared.presence().getState().has("final")).isTrue();
    assertThat(shared.users().following()).containsExactly("u0");
    assertThat(shared.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    ChangeChecks.noGhostNullsOrDuplicates("eve", eveSees.changes);
    for (Recorder r : syncs) {
      ChangeChecks.noGhostNullsOrDuplicates("a short-lived sync", r.changes);
    }
  }
}
