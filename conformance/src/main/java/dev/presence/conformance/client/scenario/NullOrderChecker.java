package dev.presence.conformance.client.scenario;

import dev.presence.conformance.adapter.v1.Change;
import dev.presence.conformance.check.Violation;
import dev.presence.conformance.client.adapter.Timed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PRS-EVT-8: no callback of a sync sees a null for a user the sync does not show with a state: neither for a user it
 * never showed, nor twice in a row.
 */
final class NullOrderChecker implements ClientChecker {

  @Override
  public String requirementId() {
    return "PRS-EVT-8";
  }

  @Override
  public List<String> clauses() {
    return List.of("A client MUST apply a null, live or tagged, only to subscriptions that hold a non-null state "
        + "for that user, so that an application callback never sees a null for a user it never saw, nor two nulls "
        + "in a row for one user.");
  }

  @Override
  public List<Violation> check(ClientRun run) {
    List<Violation> violations = new ArrayList<>();
    List<String> syncs = new ArrayList<>(run.liveSyncs().keySet());
    run.steps().stream().filter(s -> s instanceof ClientStep.Sync).map(s -> ((ClientStep.Sync) s).name())
        .filter(n -> !syncs.contains(n)).forEach(syncs::add);
    syncs.add(ClientScenario.SETTLE_SYNC);
    for (String sync : syncs) {
      Map<String, Boolean> shown = new HashMap<>();
      Map<String, Boolean> nulled = new HashMap<>();
      for (Timed t : run.changes(sync)) {
        Change c = t.report().getChange();
        if (c.hasState()) {
          shown.put(c.getUserId(), true);
          nulled.put(c.getUserId(), false);
          continue;
        }
        if (!shown.getOrDefault(c.getUserId(), false)) {
          violations.add(new Violation(requirementId(), run.stepAt(t.nanos()), "sync " + sync + " was told null "
              + "for user " + c.getUserId() + (nulled.getOrDefault(c.getUserId(), false)
                  ? " twice in a row" : " before it was told any state for that user")));
        }
        shown.put(c.getUserId(), false);
        nulled.put(c.getUserId(), true);
      }
    }
    return violations;
  }
}
