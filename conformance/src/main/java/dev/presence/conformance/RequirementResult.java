package dev.presence.conformance;

import dev.presence.conformance.spec.Requirement;
import java.util.Optional;

/**
 * The verdict for one SPEC.md requirement, with the requirement's text so that reports quote it.
 *
 * @param requirement the requirement
 * @param verdict the outcome
 * @param detail why, in one line: what was checked, why it was skipped, or why the kit exempts it
 * @param failure the evidence when the verdict is FAIL or FLAKY
 * @param knownFailing whether the known-failing list names the requirement
 * @param reason why the rule was not judged, in words shared by every rule left unjudged for the same reason (such
 *     as {@code binds clients only}), so that a report can count the rules of each; several reasons are joined by
 *     {@code "; "}. For a judged verdict, the detail.
 */
public record RequirementResult(Requirement requirement, Verdict verdict, String detail,
    Optional<FailureCase> failure, boolean knownFailing, String reason) {

  /** A result whose detail is its reason. */
  public RequirementResult(Requirement requirement, Verdict verdict, String detail, Optional<FailureCase> failure,
      boolean knownFailing) {
    this(requirement, verdict, detail, failure, knownFailing, detail);
  }

  /** Returns whether this result makes the run fail: a failure not listed as known, or a listed one that passed. */
  public boolean failsRun() {
    if (knownFailing) {
      return verdict == Verdict.PASS;
    }
    return verdict == Verdict.FAIL || verdict == Verdict.FLAKY;
  }
}
