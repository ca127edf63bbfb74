package dev.presence.conformance;

import dev.presence.conformance.driver.Timing;
import java.io.PrintStream;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The settings a run of the kit has in either mode: time allowances, seed and number of random scenarios, re-runs
 * and shrinking of failures, which rules run, which may fail, and where the run says what it is doing.
 *
 * @param <B> the mode's own builder, returned by every setter
 */
public abstract class SuiteBuilder<B extends SuiteBuilder<B>> {
  Timing timing = Timing.defaults();
  long seed = System.nanoTime();
  int scenarios;
  int reruns = ConformanceSuite.DEFAULT_RERUNS;
  int maxShrinkAttempts;
  Predicate<String> selected = id -> true;
  Set<String> knownFailing = Set.of();
  PrintStream progress = System.out;

  SuiteBuilder(int defaultScenarios, int defaultMaxShrinkAttempts) {
    this.scenarios = defaultScenarios;
    this.maxShrinkAttempts = defaultMaxShrinkAttempts;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** Sets the time allowances. */
  public B timing(Timing timing) {
    this.timing = Objects.requireNonNull(timing);
    return self();
  }

  /** Fixes the run seed, so that the same scenarios run again. */
  public B seed(long seed) {
    this.seed = seed;
    return self();
  }

  /** Sets how many random scenarios run. */
  public B scenarios(int scenarios) {
    if (scenarios < 0) {
      throw new IllegalArgumentException("scenarios must not be negative");
    }
    this.scenarios = scenarios;
    return self();
  }

  /** Sets how often a failure is re-run to tell FAIL from FLAKY; default 2. */
  public B reruns(int reruns) {
    if (reruns < 0) {
      throw new IllegalArgumentException("reruns must not be negative");
    }
    this.reruns = reruns;
    return self();
  }

  /** Bounds the scenario runs spent shrinking one failure. */
  public B maxShrinkAttempts(int maxShrinkAttempts) {
    if (maxShrinkAttempts < 0) {
      throw new IllegalArgumentException("maxShrinkAttempts must not be negative");
    }
    this.maxShrinkAttempts = maxShrinkAttempts;
    return self();
  }

  /** Restricts the run to the requirement ids that the predicate accepts. */
  public B select(Predicate<String> selected) {
    this.selected = Objects.requireNonNull(selected);
    return self();
  }

  /** Lists requirements expected to fail: they do not fail the run, but passing does. */
  public B knownFailing(Set<String> knownFailing) {
    this.knownFailing = Set.copyOf(knownFailing);
    return self();
  }

  /**
   * Sets where the run says what it is about to do: one line before it starts, and one for each random scenario
   * that stopped early, whose later steps no checker judged. Verdicts are never printed here; they come back in the
   * result. Default standard output.
   */
  public B progress(PrintStream progress) {
    this.progress = Objects.requireNonNull(progress);
    return self();
  }
}
