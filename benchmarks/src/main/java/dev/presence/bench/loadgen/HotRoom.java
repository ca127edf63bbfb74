package dev.presence.bench.loadgen;

import dev.presence.bench.driver.Driver;
import dev.presence.bench.driver.UserSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One extra room whose users all send fast, next to the measured rooms on the same server: does a hot
 * room starve the quiet ones? Its own deliveries are not measured.
 */
final class HotRoom implements AutoCloseable {
  private static final long OPEN_TIMEOUT_SECONDS = 60;

  private final UserSession[] sessions;
  private final int rateHz;
  private SendScheduler scheduler;
  private Thread thread;

  private HotRoom(UserSession[] sessions, int rateHz) {
    this.sessions = sessions;
    this.rateHz = rateHz;
  }

  static HotRoom open(Driver driver, String runId, int senders, int rateHz, int firstUser)
      throws InterruptedException, TimeoutException {
    List<CompletableFuture<UserSession>> opening = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      opening.add(driver.open(runId + "-hot", firstUser + i, new IgnoringReceiver()));
    }
    UserSession[] sessions = new UserSession[senders];
    for (int i = 0; i < senders; i++) {
      try {
        sessions[i] = opening.get(i).get(OPEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException("hot sender " + i + " failed to open: " + e.getCause(), e.getCause());
      }
    }
    return new HotRoom(sessions, rateHz);
  }

  /** Sends from {@code startNanos} until {@code stopNanos} on a thread of its own. */
  void start(long startNanos, long stopNanos, long seed) {
    long millis = (stopNanos - startNanos) / 1_000_000 + 1_000;
    SendLog log = new SendLog(sessions.length, (int) (millis * rateHz / 1_000 + 16));
    scheduler = new SendScheduler(sessions, log, rateHz, seed, startNanos, stopNanos);
    thread = new Thread(scheduler, "hot-sender");
    thread.start();
  }

  /** @return sends made; waits for the sending thread */
  long sends() throws InterruptedException {
    thread.join();
    return scheduler.sends();
  }

  @Override
  public void close() {
    for (UserSession s : sessions) {
      s.close();
    }
  }
}
