package dev.presence.conformance.check;

/**
 * One departure from a requirement, found in a run.
 *
 * @param requirementId the SPEC.md rule broken
 * @param stepIndex the scenario step during or after which it was observed, or -1
 * @param message what was expected and what was observed
 */
public record Violation(String requirementId, int stepIndex, String message) {

  @Override
  public String toString() {
    return requirementId + (stepIndex >= 0 ? " at step " + stepIndex : "") + ": " + message;
  }
}
