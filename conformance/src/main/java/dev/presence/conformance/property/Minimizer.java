package dev.presence.conformance.property;

import java.util.Iterator;
import java.util.Optional;
import java.util.function.Function;

/**
 * Greedy shrinking: repeatedly replaces a failing value by the first candidate of its shrinker that still fails,
 * until no candidate fails or the attempt budget is spent.
 */
public final class Minimizer {

  private Minimizer() {}

  /**
   * The outcome of shrinking.
   *
   * @param minimal the smallest value found that still fails
   * @param reason why it fails
   * @param steps accepted shrinks
   * @param attempts candidates tried
   * @param <T> the value type
   */
  public record Result<T>(T minimal, String reason, int steps, int attempts) {}

  /**
   * Shrinks a failing value.
   *
   * @param failing a value known to fail
   * @param reason why it fails
   * @param shrinker proposes smaller values
   * @param failure returns why a value fails, or empty when it passes
   * @param maxAttempts the most candidates to try
   * @param <T> the value type
   * @return the smallest failing value found
   */
  public static <T> Result<T> minimize(
      T failing, String reason, Shrinker<T> shrinker, Function<T, Optional<String>> failure, int maxAttempts) {
    T minimal = failing;
    String minimalReason = reason;
    int steps = 0;
    int attempts = 0;
    boolean progressed = true;
    while (progressed && attempts < maxAttempts) {
      progressed = false;
      Iterator<T> candidates = shrinker.candidates(minimal).iterator();
      while (candidates.hasNext() && attempts < maxAttempts) {
        T candidate = candidates.next();
        attempts++;
        Optional<String> why = failure.apply(candidate);
        if (why.isPresent()) {
          minimal = candidate;
          minimalReason = why.get();
          steps++;
          progressed = true;
          break;
        }
      }
    }
    return new Result<>(minimal, minimalReason, steps, attempts);
  }
}
