package dev.presence.server.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The production {@link Clock} and {@link Timer}: {@link System#nanoTime()}, and delayed tasks on the
 * server's own event loops, each on the loop that set it. A room's tick then fires on the thread that runs
 * the room, instead of waking another thread that in turn wakes the room's thread.
 */
public final class SystemTime implements Clock, Timer {
  private final Supplier<ScheduledExecutorService> scheduler;

  /** @param scheduler the scheduler for a timer set now, by the calling thread; owned by the caller */
  public SystemTime(Supplier<ScheduledExecutorService> scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public long nowMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  @Override
  public Cancellable schedule(Runnable task, long delayMillis) {
    ScheduledFuture<?> future = scheduler.get().schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    return () -> future.cancel(false);
  }
}
