package dev.presence.conformance.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The append-only, timestamped record of one scenario run: everything the kit sent and observed. Checkers are pure
 * functions over a {@link #snapshot()}.
 *
 * <p>Thread-safe: gRPC callback threads append while the scenario thread awaits.
 */
public final class History {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition appended = lock.newCondition();
  private final List<Observation> observations = new ArrayList<>();
  private final LongSupplier nanoClock;

  /**
   * Creates an empty history.
   *
   * @param nanoClock the monotonic clock stamping observations, normally {@code System::nanoTime}
   */
  public History(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Creates an empty history stamped by {@link System#nanoTime()}. */
  public static History systemClock() {
    return new History(System::nanoTime);
  }

  /** Returns the current time of this history's clock, in nanoseconds. */
  public long now() {
    return nanoClock.getAsLong();
  }

  /**
   * Appends an observation.
   *
   * @param observation the observation; its timestamp should come from {@link #now()}
   */
  public void append(Observation observation) {
    lock.lock();
    try {
      observations.add(observation);
      appended.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Returns an immutable copy of everything recorded so far, in append order. */
  public List<Observation> snapshot() {
    lock.lock();
    try {
      return List.copyOf(observations);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until an observation appended at or after position {@code from} matches, or the timeout passes.
   *
   * @param from the first position to consider; earlier observations are ignored
   * @param match the condition
   * @param timeout how long to wait at most
   * @return the first match, or empty on timeout
   * @throws InterruptedException if interrupted while waiting
   */
  public Optional<Observation> await(int from, Predicate<Observation> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      int next = from;
      while (true) {
        for (; next < observations.size(); next++) {
          if (match.test(observations.get(next))) {
            return Optional.of(observations.get(next));
          }
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return Optional.empty();
        }
        appended.awaitNanos(remaining);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Returns the number of observations recorded so far, a position for {@link #await}. */
  public int size() {
    lock.lock();
    try {
      return observations.size();
    } finally {
      lock.unlock();
    }
  }
}
