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
 * stated reason. A build test keeps this complete: a new identifier in SPEC.md, binding servers or clients, fails
 * the build until it is checked or exempted here. Withdrawn identifiers are tombstones and need neither.
 */
public final class Coverage {

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

  /** Why the kit does not judge client-only rules, until it can drive a client under test. */
  public static final String CLIENT_RULE = "Binds clients, which the kit cannot drive yet; the Java client's own "
      + "tests check it and name it with @Covers until the kit checks clients.";

  private static final Set<String> CLIENT_RULES = Set.of(
      "PRS-TRN-3", "PRS-TRN-5", "PRS-TRN-8", "PRS-THC-1", "PRS-THC-2", "PRS-THC-3", "PRS-THC-4", "PRS-THC-5",
      "PRS-THC-6", "PRS-EVT-3", "PRS-EVT-4", "PRS-EVT-8", "PRS-LIM-5", "PRS-LIV-5", "PRS-LIV-9", "PRS-ERR-5",
      "PRS-ACK-3", "PRS-RCN-1", "PRS-RCN-2", "PRS-RCN-3", "PRS-RCN-4", "PRS-RCN-5", "PRS-RCN-6", "PRS-RCN-7",
      "PRS-RCN-8", "PRS-RCN-9", "PRS-PRV-1", "PRS-EVO-3", "PRS-EVO-4");

  private static final Map<String, String> EXEMPT = buildExemptions();

  /** Returns the client-only requirements, exempt with {@link #CLIENT_RULE}. */
  public static Set<String> clientRules() {
    return CLIENT_RULES;
  }

  /** Returns why the kit does not check a requirement, if it is exempt. */
  public static Optional<String> exemption(String requirementId) {
    return Optional.ofNullable(EXEMPT.get(requirementId));
  }

  /** Returns every exempt requirement, server or client, with its reason. */
  public static Map<String, String> exemptions() {
    return EXEMPT;
  }

  private static Map<String, String> buildExemptions() {
    Map<String, String> m = new TreeMap<>();
    m.put("PRS-TRN-2", "Ordering within a call underlies PRS-THR-4, PRS-SUB-3, PRS-SUB-4, PRS-SUB-6, PRS-SUB-7, "
        + "PRS-FOL-3, PRS-FOL-4, PRS-ACK-2 and PRS-MEM-2, which check it.");
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
    m.put("PRS-LIM-1", "Checked through PRS-LIM-2, PRS-LIM-3, PRS-SUB-9, PRS-FOL-5, PRS-STA-3 and PRS-TRN-6, "
        + "which use the advertised values.");
    m.put("PRS-END-4", "An end that touched another user shows as a settled-view mismatch under PRS-THR-3.");
    m.put("PRS-END-5", "Needs control of the server's process; a server's own tests check shutdown.");
    m.put("PRS-LIV-2", "A SHOULD that servers may disable (idle_timeout_millis 0).");
    m.put("PRS-EVO-1", "A property of the schema, checked by buf breaking, not of a running server.");
    m.put("PRS-THR-8", "A permission (MAY), with a duty to resume that PRS-END-6 and PRS-TRN-7 check: both stall a "
        + "subscriber and need the server to read its frames again.");
    m.put("PRS-MEM-7", "A permission (MAY); the membership checker still requires every member list to end right "
        + "and every change the session receives to be one that happened.");
    m.put("PRS-ERR-7", "Its server half is checked by the PRS-OPN-3 and PRS-OPN-10 cases, which require "
        + "supported_versions; its client half by the Java client's tests.");
    CLIENT_RULES.forEach(id -> m.put(id, CLIENT_RULE));
    return Map.copyOf(m);
  }
}
