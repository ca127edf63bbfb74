package dev.presence.server.internal;

/** Runs tasks later. Injected with {@link Clock} so timed behaviour is deterministic under test. */
public interface Timer {
  /**
   * Schedules a task.
   *
   * @param task runs once, in production on one of the server's I/O event loops, so it must not block
   * @param delayMillis not before this many milliseconds from now
   * @return a handle that prevents the run when cancelled
   */
  Cancellable schedule(Runnable task, long delayMillis);

  /** A scheduled task that can be withdrawn. */
  interface Cancellable {
    /** Prevents the task from running if it has not started. */
    void cancel();
  }
}
