package dev.presence.conformance.client.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An append-only list that other threads can wait on: gRPC threads append while a test thread awaits.
 *
 * @param <T> the element type
 */
final class Recording<T> {
  private final List<T> items = new ArrayList<>();

  synchronized void add(T item) {
    items.add(item);
    notifyAll();
  }

  synchronized List<T> snapshot() {
    return List.copyOf(items);
  }

  synchronized int size() {
    return items.size();
  }

  /** Waits for the first element, already present or still to come, that matches. */
  synchronized Optional<T> await(Predicate<? super T> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int next = 0;
    while (true) {
      for (; next < items.size(); next++) {
        if (match.test(items.get(next))) {
          return Optional.of(items.get(next));
        }
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return Optional.empty();
      }
      try {
        wait(Math.max(1, remaining / 1_000_000), 0);
      } catch (InterruptedException e) {
        // Callers poll with deadlines; keep the flag so that they can stop at their next check.
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  /** Waits until element {@code index} exists. */
  synchronized Optional<T> awaitIndex(int index, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (items.size() <= index) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return Optional.empty();
      }
      try {
        wait(Math.max(1, remaining / 1_000_000), 0);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.of(items.get(index));
  }
}
