package dev.presence.conformance;

/** The outcome for one requirement. */
public enum Verdict {
  /** Every check of the requirement passed. */
  PASS,
  /** A check failed on every re-run. */
  FAIL,
  /** A check failed on some re-runs and passed on others; the result carries the failure rate. */
  FLAKY,
  /**
   * A timing check missed its bound, but the kit's own measured noise (its scheduling delay and the round trip at
   * that moment) was as large as the miss, or a re-run at a quiet moment did not reproduce it. Never a failure.
   */
  INCONCLUSIVE,
  /** The kit does not check the requirement, for the reason the result states. */
  EXEMPT,
  /** The requirement was deselected, or this run did not exercise it. */
  SKIPPED,
  /** The requirement does not bind the kind of implementation under test. */
  NOT_APPLICABLE;

  /** Returns the form used in reports, for example {@code NOT-APPLICABLE}. */
  public String label() {
    return name().replace('_', '-');
  }
}
