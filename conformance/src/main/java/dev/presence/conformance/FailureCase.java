package dev.presence.conformance;

import dev.presence.conformance.scenario.Replayable;
import java.util.List;

/**
 * The evidence for a failed requirement: the minimal scenario that still fails it, how to replay it, and what was
 * observed.
 *
 * @param seed the seed of the scenario that first failed
 * @param minimal the shrunk scenario, server or client; null for a case, which has no scenario
 * @param violations what the minimal run broke, in order
 * @param failedRuns how many of the re-runs of the first failing case failed
 * @param runs how many re-runs there were
 * @param trace the minimal run's wire trace, one line per frame
 */
public record FailureCase(
    long seed, Replayable minimal, List<String> violations, int failedRuns, int runs, String trace) {

  /** Copies the list. */
  public FailureCase {
    violations = List.copyOf(violations);
  }

  /** Returns the share of re-runs that failed, from 0 to 1. */
  public double failureRate() {
    return runs == 0 ? 1.0 : (double) failedRuns / runs;
  }
}
