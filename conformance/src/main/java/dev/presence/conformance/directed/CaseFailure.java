package dev.presence.conformance.directed;

import dev.presence.conformance.noise.TimingMiss;
import java.util.Optional;

/**
 * Thrown by a directed case when the server departs from the requirement; the message says how. A failure that
 * missed a time bound carries the miss, so that the suite can weigh it against the kit's own noise.
 */
public final class CaseFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient TimingMiss timing;

  /** Creates a logical failure with what was expected and what was observed. */
  public CaseFailure(String message) {
    this(message, null);
  }

  /** Creates a failure that missed a time bound by {@code timing}; null makes it logical. */
  public CaseFailure(String message, TimingMiss timing) {
    super(message, null, false, false);
    this.timing = timing;
  }

  /** Returns the missed bound; empty for a logical failure. */
  public Optional<TimingMiss> timingMiss() {
    return Optional.ofNullable(timing);
  }
}
