package dev.presence.conformance;

import dev.presence.conformance.check.Checker;
import dev.presence.conformance.check.Checkers;
import dev.presence.conformance.client.ClientCase;
import dev.presence.conformance.client.cases.ClientCases;
import dev.presence.conformance.client.scenario.ClientCheckers;
import dev.presence.conformance.directed.DirectedCase;
import dev.presence.conformance.directed.DirectedCases;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which SPEC.md requirements the kit checks, and how. In server mode: by random scenarios, by directed cases, or not
 * at all with a stated reason. In client mode: by client cases, or not at all with a stated reason. A rule that
 * binds both parties is counted on each side. A build test keeps this complete: a new identifier in SPEC.md fails
 * the build until every party it binds has a check or an exemption here. Withdrawn identifiers are tombstones and
 * need neither.
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

  /** Why client mode exempts the client halves of the WebSocket binding's rules. */
  static final String CLIENT_OVER_GRPC_ONLY = "Client mode plays the server an SDK connects to over the gRPC binding "
      + "only: the adapter protocol (conformance/SDK.md) gives the kit no WebSocket endpoint to hand an SDK, so "
      + "the kit cannot observe an SDK's WebSocket handshake, frames or reading of ends. The server half, where the "
      + "rule has one, is checked in server mode.";

  /** Why server mode exempts the rules of a drain in progress. */
  static final String DRAIN_NEEDS_THE_PROCESS = "Needs control of the server's process to start a drain, like "
      + "PRS-END-5, and a drain ends the server the kit is judging; a server's own tests check it (the reference "
      + "server's DrainIT). Server mode checks the grant of CAPABILITY_DRAIN (PRS-DRN-1); client mode plays a "
      + "draining server (PRS-DRN-6 to PRS-DRN-9).";

  /** Kinds of exemption: a report counts the exempt rules of each kind, and gives each rule its own reason. */
  static final String CHECKED_ELSEWHERE = "checked through other rules";
  static final String OPTIONAL = "optional (MAY, or a SHOULD that may be turned off)";
  static final String UNOBSERVABLE = "not observable from outside";
  static final String NEEDS_THE_PROCESS = "needs control of the server's process";
  static final String NEEDS_OVERLOAD = "needs load beyond the server's capacity";
  static final String NEEDS_ROOM_CREDENTIALS = "needs credentials the kit cannot mint";
  static final String TOO_SLOW = "too slow to check by default";
  static final String GRPC_ONLY = "client mode serves the gRPC binding only";

  /**
   * Why the kit does not check a rule.
   *
   * @param kind the kind of reason, in words shared by every rule exempt for it
   * @param reason the reason for this rule
   */
  record Exemption(String kind, String reason) {}

  private static final Map<String, Exemption> EXEMPT = buildExemptions();
  private static final Map<String, Exemption> CLIENT_EXEMPT = buildClientExemptions();

  /**
   * Returns the identifiers client mode judges: by client cases, by client scenario checkers, and PRS-PRV-1 from the
   * adapter's log over the whole run.
   */
  public static Set<String> clientChecked() {
    Set<String> ids = ClientCases.all().stream().map(ClientCase::requirementId)
        .collect(Collectors.toCollection(TreeSet::new));
    ClientCheckers.all().forEach(c -> ids.add(c.requirementId()));
    ids.add(ClientConformanceSuite.PRIVACY_RULE);
    return ids;
  }

  /** Returns why client mode does not check a rule that binds clients, if it is exempt there. */
  public static Optional<String> clientExemption(String requirementId) {
    return clientExempt(requirementId).map(Exemption::reason);
  }

  /** Returns every rule that binds clients and that client mode exempts, with its reason. */
  public static Map<String, String> clientExemptions() {
    return reasons(CLIENT_EXEMPT);
  }

  /** Returns why the kit does not check a requirement, if it is exempt. */
  public static Optional<String> exemption(String requirementId) {
    return exempt(requirementId).map(Exemption::reason);
  }

  /** Returns every exempt requirement, server or client, with its reason. */
  public static Map<String, String> exemptions() {
    return reasons(EXEMPT);
  }

  static Optional<Exemption> exempt(String requirementId) {
    return Optional.ofNullable(EXEMPT.get(requirementId));
  }

  static Optional<Exemption> clientExempt(String requirementId) {
    return Optional.ofNullable(CLIENT_EXEMPT.get(requirementId));
  }

  private static Map<String, String> reasons(Map<String, Exemption> exemptions) {
    Map<String, String> reasons = new TreeMap<>();
    exemptions.forEach((id, e) -> reasons.put(id, e.reason()));
    return Map.copyOf(reasons);
  }

  private static Map<String, Exemption> buildExemptions() {
    Map<String, Exemption> m = new TreeMap<>();
    put(m, "PRS-TRN-2", CHECKED_ELSEWHERE, "Ordering within a call underlies PRS-THR-4, PRS-SUB-3, PRS-SUB-4, "
        + "PRS-SUB-6, PRS-SUB-7, PRS-FOL-3, PRS-FOL-4, PRS-ACK-2 and PRS-MEM-2, which check it.");
    put(m, "PRS-OPN-7", TOO_SLOW, "A SHOULD whose check needs a call held silent for 10 seconds; not run by default.");
    put(m, "PRS-IDN-4", NEEDS_ROOM_CREDENTIALS, "Needs credentials restricted to rooms, which the kit cannot mint for "
        + "a third-party server.");
    put(m, "PRS-IDN-6", OPTIONAL, "Optional behaviour (MAY).");
    put(m, "PRS-STA-6", UNOBSERVABLE, "Persistence and logging are not observable over the wire.");
    put(m, "PRS-THR-1", CHECKED_ELSEWHERE, "Not observable by itself; the raw driver never throttles, so PRS-THR-2, "
        + "PRS-THR-3 and PRS-THR-5 check it.");
    put(m, "PRS-THR-9", UNOBSERVABLE, "Server memory is not observable over the wire.");
    put(m, "PRS-SUB-5", CHECKED_ELSEWHERE, "Checked by PRS-THR-3 for every subscription once its snapshot is "
        + "complete.");
    put(m, "PRS-SUB-10", OPTIONAL, "A permission (MAY); scenarios hold several subscriptions per session "
        + "throughout.");
    put(m, "PRS-TGT-2", CHECKED_ELSEWHERE, "Checked by the settled views of PRS-FOL-3 and PRS-FOL-4 and by PRS-TGT-4 "
        + "under random 'following' subscriptions.");
    put(m, "PRS-TGT-3", CHECKED_ELSEWHERE, "Checked by the settled views of PRS-THR-3 and by PRS-TGT-4 under random "
        + "one-user targets.");
    put(m, "PRS-FOL-6", CHECKED_ELSEWHERE, "Checked by the settled views of PRS-FOL-3 and PRS-FOL-4 and by "
        + "PRS-TGT-4.");
    put(m, "PRS-LIM-1", CHECKED_ELSEWHERE, "Checked through PRS-LIM-2, PRS-LIM-3, PRS-SUB-9, PRS-FOL-5, PRS-STA-3 "
        + "and PRS-TRN-6, which use the advertised values.");
    put(m, "PRS-END-4", CHECKED_ELSEWHERE, "An end that touched another user shows as a settled-view mismatch under "
        + "PRS-THR-3.");
    put(m, "PRS-END-5", NEEDS_THE_PROCESS, "Needs control of the server's process; a server's own tests check "
        + "shutdown.");
    for (String id : List.of("PRS-DRN-2", "PRS-DRN-3", "PRS-DRN-4", "PRS-DRN-5")) {
      put(m, id, NEEDS_THE_PROCESS, DRAIN_NEEDS_THE_PROCESS);
    }
    for (String id : List.of("PRS-OVL-1", "PRS-OVL-2", "PRS-OVL-3", "PRS-OVL-4")) {
      put(m, id, NEEDS_OVERLOAD, "Needs load beyond the server's capacity, which the kit neither knows nor should "
          + "impose on a server it was pointed at; the benchmark suite's overload experiment measures the reference "
          + "server.");
    }
    put(m, "PRS-LIV-2", OPTIONAL, "A SHOULD that servers may disable (idle_timeout_millis 0).");
    put(m, "PRS-EVO-1", UNOBSERVABLE, "A property of the schema, checked by buf breaking, not of a running server.");
    put(m, "PRS-THR-8", OPTIONAL, "A permission (MAY), with a duty to resume that PRS-END-6 and PRS-TRN-7 check: "
        + "both stall a subscriber and need the server to read its frames again.");
    put(m, "PRS-MEM-7", OPTIONAL, "A permission (MAY); the membership checker still requires every member list to "
        + "end right and every change the session receives to be one that happened.");
    put(m, "PRS-ERR-7", CHECKED_ELSEWHERE, "Its server half is checked by the PRS-OPN-3 and PRS-OPN-10 cases, which "
        + "require supported_versions; its client half in client mode.");
    return Map.copyOf(m);
  }

  private static Map<String, Exemption> buildClientExemptions() {
    Map<String, Exemption> m = new TreeMap<>();
    put(m, "PRS-TRN-5", OPTIONAL, "A permission (MAY): how an SDK shares connections between rooms is its own "
        + "choice.");
    put(m, "PRS-OPN-11", OPTIONAL, "For clients a permission (MAY); the kit's server accepts frames sent before "
        + "opened.");
    put(m, "PRS-EVO-1", UNOBSERVABLE, "A property of the schema, checked by buf breaking, not of a running client.");
    put(m, "PRS-EVO-5", UNOBSERVABLE, "Its client half has nothing to observe yet: both capabilities let only the "
        + "server act, CAPABILITY_PING by pinging (clients may always probe with ping frames, PRS-LIV-9) and "
        + "CAPABILITY_DRAIN by sending draining, to which client mode checks the answer (PRS-DRN-6 to PRS-DRN-9).");
    for (String id : List.of("PRS-WS-1", "PRS-WS-3", "PRS-WS-4", "PRS-WS-6", "PRS-WS-11")) {
      put(m, id, GRPC_ONLY, CLIENT_OVER_GRPC_ONLY);
    }
    return Map.copyOf(m);
  }

  private static void put(Map<String, Exemption> m, String id, String kind, String reason) {
    m.put(id, new Exemption(kind, reason));
  }
}
