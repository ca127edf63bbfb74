package dev.presence.conformance.transcript;

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
 */
public record TranscriptResult(String name, String title, List<String> rules, Outcome outcome, int line,
    String detail, String trace) {

  /** Copies the list. */
  public TranscriptResult {
    rules = List.copyOf(rules);
  }

  /** The outcomes. */
  public enum Outcome {
    /** Every line held. */
    PASS,
    /** A line did not hold. */
    FAIL,
    /** The replayer could not arrange what the transcript needs. */
    SKIPPED
  }
}
