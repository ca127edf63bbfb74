package dev.presence.conformance.directed;

/**
 * A hand-written check of one requirement that random scenarios do not reach: malformed frames, limits, error
 * mapping. It passes by returning and fails by throwing {@link CaseFailure}.
 *
 * @param requirementId the SPEC.md rule it checks
 * @param body the check
 */
public record DirectedCase(String requirementId, Body body) {

  /** The check itself. */
  @FunctionalInterface
  public interface Body {
    /**
     * Runs the check.
     *
     * @param probe sessions in a room of the case's own
     * @throws CaseFailure when the server departs from the requirement
     * @throws InterruptedException if interrupted
     */
    void run(Probe probe) throws InterruptedException;
  }
}
