package dev.presence.bench.loadgen;

import dev.presence.bench.driver.Driver;
import dev.presence.bench.driver.UserSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Many sessions asking to open at the same moment, each closed as soon as it opened: what a server sees
 * when a fleet of clients reconnects at once. Nothing is sent in their rooms.
 */
final class ConnectionStorm {
  private static final long TIMEOUT_SECONDS = 120;

  private final Driver driver;
  private final String runId;
  private final int sessions;
  private final int roomSize;
  private final int firstUser;
  private volatile long startedAtNanos;
  private volatile long endedAtNanos;
  private volatile int opened;
  private volatile int failed;

  ConnectionStorm(Driver driver, String runId, int sessions, int roomSize, int firstUser) {
    this.driver = driver;
    this.runId = runId;
    this.sessions = sessions;
    this.roomSize = roomSize;
    this.firstUser = firstUser;
  }

  /** Opens every session at once, closes each when it opened, and returns once all are done. */
  void run() throws InterruptedException {
    startedAtNanos = System.nanoTime();
    List<CompletableFuture<Boolean>> done = new ArrayList<>(sessions);
    for (int i = 0; i < sessions; i++) {
      done.add(driver.open(runId + "-storm-" + i / roomSize, firstUser + i, new IgnoringReceiver())
          .thenApply(s -> closed(s)).exceptionally(e -> false));
    }
    int ok = 0;
    int bad = 0;
    for (CompletableFuture<Boolean> f : done) {
      try {
        if (f.get(Math.max(1, startedAtNanos + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS) - System.nanoTime()),
            TimeUnit.NANOSECONDS)) {
          ok++;
        } else {
          bad++;
        }
      } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
        bad++;
      }
    }
    opened = ok;
    failed = bad;
    endedAtNanos = System.nanoTime();
  }

  private static boolean closed(UserSession s) {
    s.close();
    return true;
  }

  long startedAtNanos() {
    return startedAtNanos;
  }

  /** @return when the last session closed or failed; read after {@link #run} returned */
  long endedAtNanos() {
    return endedAtNanos;
  }

  int opened() {
    return opened;
  }

  int failed() {
    return failed;
  }
}
