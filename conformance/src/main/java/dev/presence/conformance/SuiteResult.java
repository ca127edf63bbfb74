package dev.presence.conformance;

import dev.presence.conformance.transcript.TranscriptResult;
import java.util.List;

/**
 * The outcome of a conformance run.
 *
 * @param target what was tested, readable
 * @param seed the run seed
 * @param scenarios how many random scenarios ran
 * @param results one per SPEC.md requirement, in SPEC.md order
 * @param transcripts one per replayed transcript of spec/transcripts, in file-name order
 */
public record SuiteResult(String target, long seed, int scenarios, List<RequirementResult> results,
    List<TranscriptResult> transcripts) {

  /** Copies the lists. */
  public SuiteResult {
    results = List.copyOf(results);
    transcripts = List.copyOf(transcripts);
  }

  /** A result without transcripts. */
  public SuiteResult(String target, long seed, int scenarios, List<RequirementResult> results) {
    this(target, seed, scenarios, results, List.of());
  }

  /** Returns whether the run passes: no result fails it (see {@link RequirementResult#failsRun()}), no transcript. */
  public boolean passed() {
    return results.stream().noneMatch(RequirementResult::failsRun)
        && transcripts.stream().noneMatch(t -> t.outcome() == TranscriptResult.Outcome.FAIL);
  }

  /**
   * Returns whether the run passed but could not judge everything: some timing verdict or transcript came out
   * INCONCLUSIVE because the kit's own noise was too large to tell.
   */
  public boolean inconclusive() {
    return passed() && (count(Verdict.INCONCLUSIVE) > 0
        || transcripts.stream().anyMatch(t -> t.outcome() == TranscriptResult.Outcome.INCONCLUSIVE));
  }

  /** Returns the command line's exit code: 0 conformant, 1 not conformant, 3 conformant as far as judged. */
  public int exitCode() {
    return passed() ? (inconclusive() ? 3 : 0) : 1;
  }

  /** Returns how many results have the verdict. */
  public long count(Verdict verdict) {
    return results.stream().filter(r -> r.verdict() == verdict).count();
  }
}
