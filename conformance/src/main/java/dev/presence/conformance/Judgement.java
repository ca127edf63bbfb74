package dev.presence.conformance;

import java.util.List;

/**
 * Turns the attempts at one failing check into a verdict. A logical violation fails on every attempt (FAIL) or on
 * some (FLAKY). A timing miss fails only when every re-run, each started at a quiet moment, misses again by more
 * than the kit's noise; a miss the noise explained that quiet re-runs do not repeat is a pass; anything else is
 * INCONCLUSIVE, which never fails a run.
 */
final class Judgement {

  private Judgement() {}

  /**
   * Returns the verdict.
   *
   * @param attempts the first, failing attempt, then the re-runs
   */
  static Verdict of(List<Attempt> attempts) {
    Attempt first = attempts.get(0);
    List<Attempt> reruns = attempts.subList(1, attempts.size());
    if (attempts.stream().anyMatch(a -> a.kind() == Attempt.Kind.LOGICAL)) {
      return attempts.stream().allMatch(a -> a.kind() == Attempt.Kind.LOGICAL) ? Verdict.FAIL : Verdict.FLAKY;
    }
    if (!first.failed()) {
      return Verdict.PASS;
    }
    boolean reproduced = reruns.stream().allMatch(a -> a.kind() == Attempt.Kind.TIMING);
    if (reproduced && (!reruns.isEmpty() || first.kind() == Attempt.Kind.TIMING)) {
      return Verdict.FAIL;
    }
    if (first.kind() == Attempt.Kind.EXCUSED && !reruns.isEmpty() && reruns.stream().noneMatch(Attempt::failed)) {
      return Verdict.PASS;
    }
    return Verdict.INCONCLUSIVE;
  }
}
