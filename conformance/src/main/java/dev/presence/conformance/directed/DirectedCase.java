package dev.presence.conformance.directed;

import java.util.List;

/**
 * A hand-written check of one requirement that random scenarios do not reach: malformed frames, limits, error
 * mapping. It passes by returning and fails by throwing {@link CaseFailure}.
 *
 * @param requirementId the SPEC.md rule it checks
 * @param clauses the clauses of the rule the case enforces, each quoted word for word from SPEC.md
 * @param body the check
 */
public record DirectedCase(String requirementId, List<String> clauses, Body body) {

  public DirectedCase {
    clauses = List.copyOf(clauses);
  }

  /**
   * Starts a case of {@code requirementId} that enforces the quoted clauses; finish it with {@link Quoted#by}.
   *
   * @param requirementId the SPEC.md rule
   * @param clauses clauses quoted word for word from the rule's text
   */
  public static Quoted checks(String requirementId, String... clauses) {
    return new Quoted(requirementId, List.of(clauses));
  }

  /** A requirement and its quoted clauses, waiting for the body that checks them. */
  public record Quoted(String requirementId, List<String> clauses) {
    /** Returns the case that runs {@code body}. */
    public DirectedCase by(Body body) {
      return new DirectedCase(requirementId, clauses, body);
    }
  }

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
