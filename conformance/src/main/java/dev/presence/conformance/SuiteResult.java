package dev.presence.conformance;

import java.util.List;

/**
 * The outcome of a conformance run.
 *
 * @param target what was tested, readable
 * @param seed the run seed
 * @param scenarios how many random scenarios ran
 * @param results one per SPEC.md requirement, in SPEC.md order
 */
public record SuiteResult(String target, long seed, int scenarios, List<RequirementResult> results) {

  /** Copies the list. */
  public SuiteResult {
    results = List.copyOf(results);
  }

  /** Returns whether the run passes: no result fails it (see {@link RequirementResult#failsRun()}). */
  public boolean passed() {
    return results.stream().noneMatch(RequirementResult::failsRun);
  }

  /** Returns how many results have the verdict. */
  public long count(Verdict verdict) {
    return results.stream().filter(r -> r.verdict() == verdict).count();
  }
}
