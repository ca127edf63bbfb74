package dev.presence.conformance;

import dev.presence.conformance.spec.Requirement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** The party a run checks: a server (server mode) or a client SDK (client mode). */
enum Party {
  SERVER("binds clients only") {
    @Override
    boolean boundBy(Requirement r) {
      return r.bindsServer();
    }

    @Override
    Optional<String> exemption(String requirementId) {
      return Coverage.exemption(requirementId);
    }
  },
  CLIENT("binds servers only") {
    @Override
    boolean boundBy(Requirement r) {
      return r.bindsClient();
    }

    @Override
    Optional<String> exemption(String requirementId) {
      return Coverage.clientExemption(requirementId);
    }
  };

  private final String otherPartyOnly;

  Party(String otherPartyOnly) {
    this.otherPartyOnly = otherPartyOnly;
  }

  /** Returns whether the rule binds this party. */
  abstract boolean boundBy(Requirement r);

  /** Returns why a run of this party does not check the rule, if it is exempt. */
  abstract Optional<String> exemption(String requirementId);

  /**
   * The verdict of a rule that nothing failed. Cases that could not apply leave it NOT_APPLICABLE when nothing else
   * checked it, and otherwise say in its PASS what was left unchecked.
   *
   * @param evidence what passed, or null when nothing checked the rule
   * @param notChecked why cases could not apply, or null when all could
   */
  RequirementResult unfailed(Requirement r, Predicate<String> selected, Set<String> knownFailing,
      List<String> evidence, List<String> notChecked) {
    boolean known = knownFailing.contains(r.id());
    if (r.level() == Requirement.Level.WITHDRAWN) {
      return new RequirementResult(r, Verdict.NOT_APPLICABLE, "withdrawn", Optional.empty(), known);
    }
    if (!boundBy(r)) {
      return new RequirementResult(r, Verdict.NOT_APPLICABLE, otherPartyOnly, Optional.empty(), known);
    }
    // An exempt rule is never checked, selected or not, so the reason outranks the selection.
    Optional<String> exempt = exemption(r.id());
    if (exempt.isPresent()) {
      return new RequirementResult(r, Verdict.EXEMPT, exempt.get(), Optional.empty(), known);
    }
    if (!selected.test(r.id())) {
      return new RequirementResult(r, Verdict.SKIPPED, "not selected", Optional.empty(), known);
    }
    boolean passed = evidence != null && !evidence.isEmpty();
    if (notChecked != null && !passed) {
      return new RequirementResult(r, Verdict.NOT_APPLICABLE, String.join("; ", notChecked), Optional.empty(), known);
    }
    if (!passed) {
      return new RequirementResult(r, Verdict.SKIPPED, "not exercised by this run", Optional.empty(), known);
    }
    String unchecked = notChecked == null ? "" : "; not applicable: " + String.join("; ", notChecked);
    return new RequirementResult(r, Verdict.PASS, String.join("; ", new LinkedHashSet<>(evidence)) + unchecked,
        Optional.empty(), known);
  }
}
