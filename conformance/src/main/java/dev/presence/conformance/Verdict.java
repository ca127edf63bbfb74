package dev.presence.conformance;

/** The outcome for one requirement. */
public enum Verdict {
  /** Every check of the requirement passed. */
  PASS,
  /** A check failed on every re-run. */
  FAIL,
  /** A check failed on some re-runs and passed on others; the result carries the failure rate. */
  FLAKY,
  /** The requirement was deselected, exempt, or could not be exercised against this target. */
  SKIPPED,
  /** The requirement does not bind the kind of implementation under test. */
  NOT_APPLICABLE;

  /** Returns the form used in reports, for example {@code NOT-APPLICABLE}. */
  public String label() {
    return name().replace('_', '-');
  }
}
