package dev.presence.server.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The production {@link Clock} and {@link Timer}: {@link System#nanoTime()} and one scheduler thread. */
public final class SystemTime implements Clock, Timer, AutoCloseable {
  private final ScheduledExecutorService scheduler;

  /** Starts the scheduler thread. */
  public SystemTime() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = Executors.defaultThreadFactory().newThread(r);
      t.setName("presence-timer");
      t.setDaemon(true);
      return t;
    });
    // Cancelled timers are the common case (throttle ticks, idle checks); keep them from piling up.
    executor.setRemoveOnCancelPolicy(true);
    scheduler = executor;
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

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
