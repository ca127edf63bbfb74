package dev.presence.conformance;

import dev.presence.conformance.check.Violation;
import dev.presence.conformance.history.Observation;
import dev.presence.conformance.noise.Noise;
import dev.presence.conformance.noise.NoiseJudge;
import dev.presence.conformance.noise.TimingMiss;
import java.util.List;
import java.util.Optional;

/**
 * One run of a check, classified for the verdict: it passed, it broke the rule whatever the timing, it missed a
 * time bound by more than the kit's measured noise, or it missed one by no more than that noise.
 *
 * @param kind the class
 * @param detail what was found, with the measured noise for a timing miss; empty for a pass
 * @param smallestMissNanos the smallest timing miss among the findings, or 0
 */
record Attempt(Kind kind, String detail, long smallestMissNanos) {

  /** The classes of an attempt. */
  enum Kind {
    PASSED,
    /** A violation no timing can excuse. */
    LOGICAL,
    /** A missed time bound that the kit's own noise at the moment does not explain. */
    TIMING,
    /** A missed time bound no larger than the kit's own noise at the moment. */
    EXCUSED
  }

  static final Attempt PASSED = new Attempt(Kind.PASSED, "", 0);

  /** Classifies a scenario run's violations of one requirement. */
  static Attempt of(List<Violation> violations, List<Observation> history, NoiseJudge judge) {
    if (violations.isEmpty()) {
      return PASSED;
    }
    Optional<Violation> logical = violations.stream().filter(v -> v.timingMiss().isEmpty()).findFirst();
    if (logical.isPresent()) {
      return new Attempt(Kind.LOGICAL, logical.get().toString(), 0);
    }
    Attempt excused = null;
    long smallest = Long.MAX_VALUE;
    for (Violation v : violations) {
      Attempt a = timed(v.toString(), v.timingMiss().orElseThrow(), history, judge);
      smallest = Math.min(smallest, a.smallestMissNanos());
      if (a.kind() == Kind.TIMING) {
        return new Attempt(Kind.TIMING, a.detail(), smallest);
      }
      excused = excused == null ? a : excused;
    }
    return new Attempt(Kind.EXCUSED, excused.detail(), smallest);
  }

  /** Classifies a directed case's outcome: its failure message, or null when it passed, and its missed bound. */
  static Attempt ofCase(String failure, Optional<TimingMiss> timing, List<Observation> history, NoiseJudge judge) {
    if (failure == null) {
      return PASSED;
    }
    return timing.map(miss -> timed(failure, miss, history, judge))
        .orElseGet(() -> new Attempt(Kind.LOGICAL, failure, 0));
  }

  private static Attempt timed(String finding, TimingMiss miss, List<Observation> history, NoiseJudge judge) {
    Noise noise = judge.measure(miss, history);
    return new Attempt(noise.explains(miss) ? Kind.EXCUSED : Kind.TIMING,
        finding + " (" + noise.describe(miss) + ")", miss.missNanos());
  }

  boolean failed() {
    return kind != Kind.PASSED;
  }
}
