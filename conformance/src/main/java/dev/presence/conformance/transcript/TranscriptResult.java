package dev.presence.conformance.transcript;

import dev.presence.conformance.history.Observation;
import dev.presence.conformance.noise.TimingMiss;
import java.util.List;

/**
 * The outcome of replaying one transcript.
 *
 * @param name the transcript's name
 * @param title what it shows
 * @param rules the rule IDs it illustrates
 * @param outcome pass, fail or skipped
 * @param line the first mismatching line's number, or 0
 * @param detail for a failure the mismatching line and what arrived instead; for a skip the reason
 * @param trace the wire trace of a failure, or empty
 * @param timing for a failure that missed a time bound, by how much; null otherwise
 * @param history for a timing failure, everything the replay sent and observed, so that the suite can weigh the
 *     miss against its own noise; empty otherwise
 */
public record TranscriptResult(String name, String title, List<String> rules, Outcome outcome, int line,
    String detail, String trace, TimingMiss timing, List<Observation> history) {

  /** Copies the lists. */
  public TranscriptResult {
    rules = List.copyOf(rules);
    history = List.copyOf(history);
  }

  /** A result that missed no time bound. */
  public TranscriptResult(String name, String title, List<String> rules, Outcome outcome, int line, String detail,
      String trace) {
    this(name, title, rules, outcome, line, detail, trace, null, List.of());
  }

  /** Returns the same result with another outcome and detail, as the suite judges a timing failure. */
  public TranscriptResult judged(Outcome judgedOutcome, String judgedDetail) {
    return new TranscriptResult(name, title, rules, judgedOutcome, line, judgedDetail, trace, timing, history);
  }

  /** The outcomes. */
  public enum Outcome {
    /** Every line held. */
    PASS,
    /** A line did not hold. */
    FAIL,
    /**
     * A line missed its time bound, but the kit's own noise explained the miss or a replay at a quiet moment did
     * not repeat it; never a failure.
     */
    INCONCLUSIVE,
    /** The replayer could not arrange what the transcript needs. */
    SKIPPED
  }
}
