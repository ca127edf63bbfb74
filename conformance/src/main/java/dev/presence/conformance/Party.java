package dev.presence.conformance;

import dev.presence.conformance.directed.NotApplicable;
import dev.presence.conformance.spec.Requirement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** The party a run checks: a server (server mode) or a client SDK (client mode). */
enum Party {
  SERVER("binds clients only") {
    @Override
    boolean boundBy(Requirement r) {
      return r.bindsServer();
    }

    @Override
    Optional<Coverage.Exemption> exemption(String requirementId) {
      return Coverage.exempt(requirementId);
    }
  },
  CLIENT("binds servers only") {
    @Override
    boolean boundBy(Requirement r) {
      return r.bindsClient();
    }

    @Override
    Optional<Coverage.Exemption> exemption(String requirementId) {
      return Coverage.clientExempt(requirementId);
    }
  };

  private final String otherPartyOnly;

  Party(String otherPartyOnly) {
    this.otherPartyOnly = otherPartyOnly;
  }

  /**
   * A case that could not apply.
   *
   * @param detail what it would have checked and why it could not, as a report shows it
   * @param why only why, shared by every case that could not apply for the same reason
   */
  record Unchecked(String detail, String why) {
    /** The case's own signal, its message prefixed with what names the case, if anything. */
    static Unchecked of(String prefix, NotApplicable n) {
      return new Unchecked(prefix + n.getMessage(), n.why());
    }
  }

  /** Returns whether the rule binds this party. */
  abstract boolean boundBy(Requirement r);

  /** Returns why a run of this party does not check the rule, if it is exempt. */
  abstract Optional<Coverage.Exemption> exemption(String requirementId);

  /**
   * The verdict of a rule that nothing failed. Cases that could not apply leave it NOT_APPLICABLE when nothing else
   * checked it, and otherwise say in its PASS what was left unchecked.
   *
   * @param evidence what passed, or null when nothing checked the rule
   * @param notChecked the cases that could not apply, or null when all could
   */
  RequirementResult unfailed(Requirement r, Predicate<String> selected, Set<String> knownFailing,
      List<String> evidence, List<Unchecked> notChecked) {
    boolean known = knownFailing.contains(r.id());
    if (r.level() == Requirement.Level.WITHDRAWN) {
      return new RequirementResult(r, Verdict.NOT_APPLICABLE, "withdrawn", Optional.empty(), known);
    }
    if (!boundBy(r)) {
      return new RequirementResult(r, Verdict.NOT_APPLICABLE, otherPartyOnly, Optional.empty(), known);
    }
    // An exempt rule is never checked, selected or not, so the reason outranks the selection.
    Optional<Coverage.Exemption> exempt = exemption(r.id());
    if (exempt.isPresent()) {
      return new RequirementResult(r, Verdict.EXEMPT, exempt.get().reason(), Optional.empty(), known,
          exempt.get().kind());
    }
    if (!selected.test(r.id())) {
      return new RequirementResult(r, Verdict.SKIPPED, "not selected", Optional.empty(), known);
    }
    boolean passed = evidence != null && !evidence.isEmpty();
    if (notChecked != null && !passed) {
      return new RequirementResult(r, Verdict.NOT_APPLICABLE, distinct(notChecked, Unchecked::detail),
          Optional.empty(), known, distinct(notChecked, Unchecked::why));
    }
    if (!passed) {
      return new RequirementResult(r, Verdict.SKIPPED, "not exercised by this run", Optional.empty(), known);
    }
    String unchecked = notChecked == null ? "" : "; not applicable: " + distinct(notChecked, Unchecked::detail);
    return new RequirementResult(r, Verdict.PASS, String.join("; ", new LinkedHashSet<>(evidence)) + unchecked,
        Optional.empty(), known);
  }

  /** Cases of one rule often fail to apply for one reason; a report says it once. */
  private static String distinct(List<Unchecked> notChecked, Function<Unchecked, String> part) {
    Set<String> parts = new LinkedHashSet<>();
    notChecked.forEach(u -> parts.add(part.apply(u)));
    return String.join("; ", parts);
  }
}
