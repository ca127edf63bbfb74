package dev.presence.conformance.client.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

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
    int[] next = {0};
    return awaitFound(() -> {
      for (; next[0] < items.size(); next[0]++) {
        if (match.test(items.get(next[0]))) {
          return Optional.of(items.get(next[0]));
        }
      }
      return Optional.empty();
    }, timeout);
  }

  /** Waits until element {@code index} exists. */
  synchronized Optional<T> awaitIndex(int index, Duration timeout) {
    return awaitFound(() -> items.size() > index ? Optional.of(items.get(index)) : Optional.empty(), timeout);
  }

  /** Looks again after every append until {@code find} finds something or the deadline passes. */
  private Optional<T> awaitFound(Supplier<Optional<T>> find, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> found = find.get();
      long remaining = deadline - System.nanoTime();
      if (found.isPresent() || remaining <= 0) {
        return found;
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
}
