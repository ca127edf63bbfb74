package dev.presence.conformance.check;

import dev.presence.conformance.noise.TimingMiss;
import java.util.Optional;

/**
 * One departure from a requirement, found in a run. A logical violation breaks the requirement whatever the timing;
 * a timing violation missed a time bound, and the kit weighs it against its own measured noise before it counts.
 *
 * @param requirementId the SPEC.md rule broken
 * @param stepIndex the scenario step during or after which it was observed, or -1
 * @param message what was expected and what was observed
 * @param timing the missed bound, or null for a logical violation
 */
public record Violation(String requirementId, int stepIndex, String message, TimingMiss timing) {

  /** Creates a logical violation. */
  public Violation(String requirementId, int stepIndex, String message) {
    this(requirementId, stepIndex, message, null);
  }

  /** Returns the missed bound of a timing violation; empty for a logical one. */
  public Optional<TimingMiss> timingMiss() {
    return Optional.ofNullable(timing);
  }

  @Override
  public String toString() {
    return requirementId + (stepIndex >= 0 ? " at step " + stepIndex : "") + ": " + message;
  }
}
