package dev.presence.server.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The production {@link Clock} and {@link Timer}: {@link System#nanoTime()}, and delayed tasks on the
 * server's own event loops. A room's tick then fires on the thread that runs the room, instead of waking
 * a timer thread that in turn wakes the room's thread.
 */
public final class SystemTime implements Clock, Timer {
  private final ScheduledExecutorService scheduler;

  /** @param scheduler runs the delayed tasks; owned by the caller */
  public SystemTime(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public long nowMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  @Override
  public Cancellable schedule(Runnable task, long delayMillis) {
    ScheduledFuture<?> future = scheduler.schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    return () -> future.cancel(false);
  }
}
