package dev.presence.conformance.client;

import java.util.List;

/**
 * A hand-written check of one client rule: the kit scripts its server and the application's calls, then judges
 * what the SDK sent and what it told the application. It passes by returning and fails by throwing
 * {@link dev.presence.conformance.directed.CaseFailure}; it throws
 * {@link dev.presence.conformance.directed.NotApplicable} when the SDK does not offer what it needs.
 *
 * @param requirementId the SPEC.md rule it checks
 * @param name what the case does, unique within the rule
 * @param clauses the clauses of the rule the case enforces, each quoted word for word from SPEC.md
 * @param body the check
 */
public record ClientCase(String requirementId, String name, List<String> clauses, Body body) {

  public ClientCase {
    clauses = List.copyOf(clauses);
  }

  /**
   * Starts a case of {@code requirementId} that enforces the quoted clauses; finish it with {@link Quoted#by}.
   *
   * @param requirementId the SPEC.md rule
   * @param name what the case does
   * @param clauses clauses quoted word for word from the rule's text
   */
  public static Quoted checks(String requirementId, String name, String... clauses) {
    return new Quoted(requirementId, name, List.of(clauses));
  }

  /** A requirement and its quoted clauses, waiting for the body that checks them. */
  public record Quoted(String requirementId, String name, List<String> clauses) {
    /** Returns the case that runs {@code body}. */
    public ClientCase by(Body body) {
      return new ClientCase(requirementId, name, clauses, body);
    }
  }

  /** The check itself. */
  @FunctionalInterface
  public interface Body {
    /**
     * Runs the check.
     *
     * @param probe the kit's server and the SDK's adapter, fresh for this case
     * @throws InterruptedException if interrupted
     */
    void run(ClientProbe probe) throws InterruptedException;
  }
}
