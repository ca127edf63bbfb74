package dev.presence.client.internal;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The client's send throttle (SPEC §7.1): leading edge after a quiet window, latest-wins trailing edge, never
 * two sends less than one window apart, and the last submitted value always sent.
 *
 * <p>Not thread-safe: the owner confines every call, including the scheduled timer task, to one lock. That
 * is what keeps a clear and a trailing send from crossing on the wire.
 *
 * @param <T> the value type
 */
public final class UpdateThrottle<T> {

  /** Schedules a task after a delay; the owner makes the task run under its lock. */
  @FunctionalInterface
  public interface Scheduler {
    /**
     * Schedules a task.
     *
     * @param task the task
     * @param delayMillis the delay, at least 0
     * @return a handle to cancel the task
     */
    Cancellable schedule(Runnable task, long delayMillis);
  }

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  public interface Cancellable {
    /** Cancels the task if it has not run; harmless otherwise. */
    void cancel();
  }

  private final LongSupplier nowMillis;
  private final Scheduler scheduler;
  private final Consumer<T> sink;
  private long windowMillis;
  private boolean sentAny;
  private long lastSendAt;
  private T pending;
  private Cancellable timer;
  // A cancelled timer may still run; the generation tells it that it is stale.
  private long generation;

  /**
   * Creates a throttle.
   *
   * @param windowMillis the initial window, at least 1
   * @param nowMillis the clock
   * @param scheduler runs the trailing-edge task
   * @param sink performs a send
   */
  public UpdateThrottle(long windowMillis, LongSupplier nowMillis, Scheduler scheduler, Consumer<T> sink) {
    setWindowMillis(windowMillis);
    this.nowMillis = Objects.requireNonNull(nowMillis, "nowMillis");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /**
   * Changes the window; applies from the next decision on.
   *
   * @param windowMillis the window, at least 1
   */
  public void setWindowMillis(long windowMillis) {
    if (windowMillis < 1) {
      throw new IllegalArgumentException("window must be positive");
    }
    this.windowMillis = windowMillis;
  }

  /**
   * The current window.
   *
   * @return milliseconds
   */
  public long windowMillis() {
    return windowMillis;
  }

  /**
   * Sends the value now if the window allows, else holds it as the pending value, replacing any older one.
   *
   * @param value the value
   */
  public void submit(T value) {
    Objects.requireNonNull(value, "value");
    if (windowOpen()) {
      // A trailing send whose timer is late is superseded: the new value goes out now, as PRS-THC-2 asks.
      cancelPending();
      send(value);
      return;
    }
    pending = value;
    if (timer == null) {
      arm(lastSendAt + windowMillis - nowMillis.getAsLong());
    }
  }

  /**
   * Discards the pending value, if any. A clear does not count as a send: the window of the last send still
   * applies to the next value.
   *
   * @return true if a value was discarded
   */
  public boolean cancelPending() {
    boolean had = pending != null;
    pending = null;
    disarm();
    return had;
  }

  /**
   * Records that the owner sent a value itself (for example re-sending the latest state on a new session) and
   * discards the pending one, which that send superseded.
   */
  public void markSent() {
    cancelPending();
    sentAny = true;
    lastSendAt = nowMillis.getAsLong();
  }

  /**
   * Forgets the send history, as for a new session; discards the pending value.
   */
  public void reset() {
    cancelPending();
    sentAny = false;
  }

  /**
   * The value waiting for the window to end.
   *
   * @return the pending value, or null
   */
  public T pending() {
    return pending;
  }

  private boolean windowOpen() {
    return !sentAny || nowMillis.getAsLong() - lastSendAt >= windowMillis;
  }

  private void send(T value) {
    sentAny = true;
    lastSendAt = nowMillis.getAsLong();
    sink.accept(value);
  }

  private void arm(long delayMillis) {
    long gen = ++generation;
    timer = scheduler.schedule(() -> onTimer(gen), Math.max(0, delayMillis));
  }

  private void disarm() {
    generation++;
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  private void onTimer(long gen) {
    if (gen != generation) {
      return;
    }
    timer = null;
    if (pending == null) {
      return;
    }
    if (!windowOpen()) {
      // Timers and clocks can disagree by a tick; waiting the remainder keeps the one-per-window promise.
      arm(lastSendAt + windowMillis - nowMillis.getAsLong());
      return;
    }
    T value = pending;
    pending = null;
    send(value);
  }
}
