package dev.presence.bench.loadgen;

import dev.presence.bench.driver.CursorState;
import dev.presence.bench.driver.UserSession;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Sends every user's cursor at a fixed rate, each user at its own random phase, from one thread, until a
 * stop time. A send that falls behind its slot goes out at once rather than being skipped, and its lag is
 * recorded: a load generator that cannot keep up must show it, not quietly offer less load.
 */
final class SendScheduler implements Runnable {
  /** Parking for less costs more than it saves; such a send goes out up to this much early. */
  private static final long PARK_ABOVE_NANOS = 100_000;

  private final UserSession[] sessions;
  private final SendLog sendLog;
  private final long periodNanos;
  private final long[] phaseNanos;
  private final Integer[] usersByPhase;
  private final long startNanos;
  private final long stopNanos;
  private final Histogram lagMicros = new Histogram(60_000_000L, 2);
  private volatile long sends;

  SendScheduler(UserSession[] sessions, SendLog sendLog, int rateHz, long seed, long startNanos, long stopNanos) {
    this.sessions = sessions;
    this.sendLog = sendLog;
    this.periodNanos = 1_000_000_000L / rateHz;
    this.startNanos = startNanos;
    this.stopNanos = stopNanos;
    Random random = new Random(seed);
    phaseNanos = new long[sessions.length];
    for (int u = 0; u < sessions.length; u++) {
      phaseNanos[u] = (long) (random.nextDouble() * periodNanos);
    }
    usersByPhase = new Integer[sessions.length];
    Arrays.setAll(usersByPhase, u -> u);
    Arrays.sort(usersByPhase, Comparator.comparingLong(u -> phaseNanos[u]));
  }

  @Override
  public void run() {
    long n = 0;
    for (long cycle = 0; ; cycle++) {
      long cycleStart = startNanos + cycle * periodNanos;
      for (int user : usersByPhase) {
        long due = cycleStart + phaseNanos[user];
        if (due >= stopNanos) {
          sends = n;
          return;
        }
        long now = waitUntil(due);
        int seq = sendLog.record(user, now);
        if (seq < 0) {
          sends = n;
          return;
        }
        sessions[user].send(state(user, seq, now));
        lagMicros.recordValue(Math.min(Math.max(0, now - due) / 1_000, lagMicros.getHighestTrackableValue()));
        n++;
      }
    }
  }

  private static CursorState state(int user, long seq, long now) {
    double x = (user * 37 + seq * 3) % 1920 + 0.5;
    double y = (user * 11 + seq * 7) % 1080 + 0.25;
    return new CursorState(user, seq, now, x, y);
  }

  private static long waitUntil(long due) {
    long now = System.nanoTime();
    while (due - now > PARK_ABOVE_NANOS) {
      LockSupport.parkNanos(due - now);
      now = System.nanoTime();
    }
    return now;
  }

  /** @return sends made; read after the thread ended */
  long sends() {
    return sends;
  }

  /** @return how late sends went out, in microseconds; read after the thread ended */
  Histogram lagMicros() {
    return lagMicros;
  }
}
