package dev.presence.conformance.property;

import java.util.stream.Stream;

/**
 * Proposes smaller variants of a failing value. The property engine keeps the first candidate that still fails and
 * asks again, so candidates should come most aggressive first.
 *
 * @param <T> the shrunk type
 */
@FunctionalInterface
public interface Shrinker<T> {

  /**
   * Returns strictly smaller variants of {@code value}; an empty stream means the value is minimal.
   *
   * @param value a value that made the property fail
   * @return candidates, most aggressive first
   */
  Stream<T> candidates(T value);

  /** Returns a shrinker that never proposes anything. */
  static <T> Shrinker<T> none() {
    return value -> Stream.empty();
  }
}
