package dev.presence.conformance.property;

/**
 * A property that failed: where it failed, the value it failed on, and the smallest value that still fails.
 *
 * @param seed the seed of the failing trial; passing it to {@link PropertyCheck.Builder#seed} replays the failure
 * @param trial the zero-based trial that failed
 * @param original the generated value that failed first
 * @param minimal the smallest failing value the shrinker found
 * @param shrinkSteps how many accepted shrinks led from {@code original} to {@code minimal}
 * @param reason why {@code minimal} fails
 * @param <T> the value type
 */
public record PropertyFailure<T>(
    long seed, int trial, T original, T minimal, int shrinkSteps, String reason) {

  /** Returns a report with the seed, the minimal case and the reason, for logs and assertion messages. */
  public String describe(String propertyName) {
    return "Property '" + propertyName + "' failed at trial " + trial + " (seed " + seed + ", replay with "
        + PropertyCheck.SEED_PROPERTY + "=" + seed + ")\n"
        + "  reason: " + reason + "\n"
        + "  minimal case after " + shrinkSteps + " shrink steps: " + minimal + "\n"
        + "  original case: " + original;
  }
}
