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

  private static final Map<String, String> EXEMPT = buildExemptions();
  private static final Map<String, String> CLIENT_EXEMPT = buildClientExemptions();

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
    return Optional.ofNullable(CLIENT_EXEMPT.get(requirementId));
  }

  /** Returns every rule that binds clients and that client mode exempts, with its reason. */
  public static Map<String, String> clientExemptions() {
    return CLIENT_EXEMPT;
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
    for (String id : List.of("PRS-DRN-2", "PRS-DRN-3", "PRS-DRN-4", "PRS-DRN-5")) {
      m.put(id, DRAIN_NEEDS_THE_PROCESS);
    }
    for (String id : List.of("PRS-OVL-1", "PRS-OVL-2", "PRS-OVL-3", "PRS-OVL-4")) {
      m.put(id, "Needs load beyond the server's capacity, which the kit neither knows nor should impose on a "
          + "server it was pointed at; the benchmark suite's overload experiment measures the reference server.");
    }
    m.put("PRS-LIV-2", "A SHOULD that servers may disable (idle_timeout_millis 0).");
    m.put("PRS-EVO-1", "A property of the schema, checked by buf breaking, not of a running server.");
    m.put("PRS-THR-8", "A permission (MAY), with a duty to resume that PRS-END-6 and PRS-TRN-7 check: both stall a "
        + "subscriber and need the server to read its frames again.");
    m.put("PRS-MEM-7", "A permission (MAY); the membership checker still requires every member list to end right "
        + "and every change the session receives to be one that happened.");
    m.put("PRS-ERR-7", "Its server half is checked by the PRS-OPN-3 and PRS-OPN-10 cases, which require "
        + "supported_versions; its client half in client mode.");
    return Map.copyOf(m);
  }

  private static Map<String, String> buildClientExemptions() {
    Map<String, String> m = new TreeMap<>();
    m.put("PRS-TRN-5", "A permission (MAY): how an SDK shares connections between rooms is its own choice.");
    m.put("PRS-OPN-11", "For clients a permission (MAY); the kit's server accepts frames sent before opened.");
    m.put("PRS-EVO-1", "A property of the schema, checked by buf breaking, not of a running client.");
    m.put("PRS-EVO-5", "Its client half has nothing to observe yet: both capabilities let only the server act, "
        + "CAPABILITY_PING by pinging (clients may always probe with ping frames, PRS-LIV-9) and CAPABILITY_DRAIN by "
        + "sending draining, to which client mode checks the answer (PRS-DRN-6 to PRS-DRN-9).");
    for (String id : List.of("PRS-WS-1", "PRS-WS-3", "PRS-WS-4", "PRS-WS-6", "PRS-WS-11")) {
      m.put(id, CLIENT_OVER_GRPC_ONLY);
    }
    return Map.copyOf(m);
  }
}
