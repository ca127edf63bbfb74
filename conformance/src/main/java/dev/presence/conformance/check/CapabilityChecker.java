package dev.presence.conformance.check;

import dev.presence.conformance.history.Observation;
import dev.presence.conformance.scenario.Step;
import dev.presence.protocol.v1.Capability;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PRS-EVO-5 on the server's side: {@code Opened.capabilities} names the capabilities the server will use on the
 * session (PRS-OPN-4), so a capability there that the session's open did not declare is one the server means to use
 * undeclared. The server's use of {@code CAPABILITY_PING} itself is judged more closely by PRS-LIV-4.
 */
public final class CapabilityChecker implements Checker {

  @Override
  public String requirementId() {
    return "PRS-EVO-5";
  }

  @Override
  public List<String> clauses() {
    return List.of("a peer MUST NOT use a capability the other side did not declare");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    Map<String, Set<Integer>> declared = new HashMap<>();
    for (Step step : run.steps()) {
      if (step instanceof Step.Join join) {
        declared.put(join.session(),
            join.declaresPing() ? Set.of(Capability.CAPABILITY_PING_VALUE) : Set.of());
      }
    }
    List<Violation> violations = new ArrayList<>();
    List<Observation> history = run.history();
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i) instanceof Observation.Received r && r.frame().hasOpened()) {
        for (int granted : r.frame().getOpened().getCapabilitiesValueList()) {
          if (!declared.getOrDefault(r.session(), Set.of()).contains(granted)) {
            violations.add(new Violation(requirementId(), run.stepAt(i), String.format(
                "%s's opened lists capability %s, which its open did not declare (it declared %s)", r.session(),
                name(granted), declared.getOrDefault(r.session(), Set.of()).isEmpty() ? "none" : "CAPABILITY_PING")));
          }
        }
      }
    }
    return violations;
  }

  private static String name(int value) {
    Capability c = Capability.forNumber(value);
    return c == null ? String.valueOf(value) : c.name();
  }
}
