package dev.presence.conformance;

import dev.presence.conformance.check.Checker;
import dev.presence.conformance.check.Checkers;
import dev.presence.conformance.directed.DirectedCase;
import dev.presence.conformance.directed.DirectedCases;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which SPEC.md requirements the kit checks, and how: by random scenarios, by directed cases, or not at all with a
 * stated reason. A build test keeps this complete: a new identifier in SPEC.md fails the build until it is checked
 * or exempted here.
 */
public final class Coverage {

  private static final Map<String, String> EXEMPT = buildExemptions();

  private Coverage() {}

  /** Returns the identifiers the scenario checkers judge. */
  public static Set<String> scenarioChecked() {
    return Checkers.all().stream().map(Checker::requirementId).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Returns the identifiers the directed cases judge. */
  public static Set<String> directlyChecked() {
    return DirectedCases.all().stream().map(DirectedCase::requirementId)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Returns why the kit does not check a server requirement, if it is exempt. */
  public static Optional<String> exemption(String requirementId) {
    return Optional.ofNullable(EXEMPT.get(requirementId));
  }

  /** Returns every exempt server requirement with its reason. */
  public static Map<String, String> exemptions() {
    return EXEMPT;
  }

  private static Map<String, String> buildExemptions() {
    Map<String, String> m = new TreeMap<>();
    m.put("PRS-TRN-2", "Ordering within a call underlies PRS-THR-4, PRS-SUB-4 and PRS-MEM-2, which check it.");
    m.put("PRS-OPN-7", "A SHOULD whose check needs a call held silent for 10 seconds; not run by default.");
    m.put("PRS-IDN-4", "Needs credentials restricted to rooms, which the kit cannot mint for a third-party server.");
    m.put("PRS-IDN-6", "Optional behaviour (MAY).");
    m.put("PRS-STA-6", "Persistence and logging are not observable over the wire.");
    m.put("PRS-THR-1", "Not observable by itself; the raw driver never throttles, so PRS-THR-2, PRS-THR-3 and "
        + "PRS-THR-5 check it.");
    m.put("PRS-THR-9", "Server memory is not observable over the wire.");
    m.put("PRS-SUB-5", "Checked by PRS-THR-3 for every subscription once its snapshot is complete.");
    m.put("PRS-SUB-10", "A permission (MAY); scenarios hold several subscriptions per session throughout.");
    m.put("PRS-TGT-2", "Checked by the settled views of PRS-FOL-3 and PRS-FOL-4 and by PRS-TGT-4 under random "
        + "'following' subscriptions.");
    m.put("PRS-TGT-3", "Checked by the settled views of PRS-THR-3 and by PRS-TGT-4 under random one-user targets.");
    m.put("PRS-FOL-6", "Checked by the settled views of PRS-FOL-3 and PRS-FOL-4 and by PRS-TGT-4.");
    m.put("PRS-LIM-1", "Checked through PRS-LIM-2, PRS-LIM-3, PRS-SUB-9, PRS-FOL-5, PRS-STA-3 and PRS-TRN-4, "
        + "which use the advertised values.");
    m.put("PRS-END-4", "An end that touched another user shows as a settled-view mismatch under PRS-THR-3.");
    m.put("PRS-END-5", "Needs control of the server's process; a server's own tests check shutdown.");
    m.put("PRS-LIV-2", "A SHOULD that servers may disable (idle_timeout_millis 0).");
    m.put("PRS-EVO-1", "A property of the schema, checked by buf breaking, not of a running server.");
    m.put("PRS-EVO-5", "Checked as PRS-LIV-4: the kit declares no capability, and no capability may be used.");
    m.put("PRS-EVO-6", "About how incompatible versions ship, not about a running server.");
    return Map.copyOf(m);
  }
}
