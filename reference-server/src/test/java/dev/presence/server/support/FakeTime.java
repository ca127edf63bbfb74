package dev.presence.server.support;

import dev.presence.server.internal.Clock;
import dev.presence.server.internal.Timer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A clock that moves only when told to, running due timer tasks in time order as it moves. */
public final class FakeTime implements Clock, Timer {
  private long now = 1_000_000;
  private long sequence;
  private final List<Task> tasks = new ArrayList<>();

  @Override
  public long nowMillis() {
    return now;
  }

  @Override
  public Cancellable schedule(Runnable task, long delayMillis) {
    Task t = new Task(now + Math.max(0, delayMillis), sequence++, task);
    tasks.add(t);
    return () -> tasks.remove(t);
  }

  /** Runs tasks that are due now, without moving time. */
  public void runDue() {
    advance(0);
  }

  /** @param millis how far to move; every task due on the way runs at its own time */
  public void advance(long millis) {
    long target = now + millis;
    while (true) {
      Task next = tasks.stream()
          .filter(t -> t.at <= target)
          .min(Comparator.comparingLong((Task t) -> t.at).thenComparingLong(t -> t.seq))
          .orElse(null);
      if (next == null) {
        break;
      }
      tasks.remove(next);
      now = Math.max(now, next.at);
      next.task.run();
    }
    now = target;
  }

  private record Task(long at, long seq, Runnable task) {}
}
