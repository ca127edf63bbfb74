package dev.presence.conformance.check;

import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.PresenceEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PRS-SUB-4: from a snapshot's first tagged event until its {@code snapshot_complete}, the session receives no live
 * event.
 */
public final class SnapshotGatingChecker implements Checker {

  @Override
  public String requirementId() {
    return "PRS-SUB-4";
  }

  @Override
  public List<String> clauses() {
    return List.of("From the first tagged event of a snapshot until its snapshot_complete, the server MUST NOT deliver "
        + "any live event to that session.");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    Map<String, Set<String>> awaiting = new HashMap<>();
    Map<String, Set<String>> open = new HashMap<>();
    List<Violation> violations = new ArrayList<>();
    List<Observation> history = run.history();
    for (int i = 0; i < history.size(); i++) {
      Observation o = history.get(i);
      if (o instanceof Observation.Sent s && s.frame().hasSubscribe()) {
        awaiting.computeIfAbsent(s.session(), k -> new HashSet<>()).add(s.frame().getSubscribe().getSubscriptionId());
      } else if (o instanceof Observation.Received r) {
        Set<String> waiting = awaiting.getOrDefault(r.session(), Set.of());
        Set<String> inSnapshot = open.computeIfAbsent(r.session(), k -> new HashSet<>());
        if (r.frame().hasSnapshotComplete()) {
          String id = r.frame().getSnapshotComplete().getSubscriptionId();
          inSnapshot.remove(id);
          awaiting.getOrDefault(r.session(), new HashSet<>()).remove(id);
        } else if (r.frame().hasPresence()) {
          for (PresenceEvent e : r.frame().getPresence().getEventsList()) {
            if (e.getSubscriptionIdsCount() == 0 && !inSnapshot.isEmpty()) {
              violations.add(new Violation(requirementId(), run.stepAt(i), String.format(
                  "%s received a live event about %s inside the snapshot of %s",
                  r.session(), run.scenarioUser(e.getUserId()), inSnapshot)));
            }
            e.getSubscriptionIdsList().stream().filter(waiting::contains).forEach(inSnapshot::add);
          }
        }
      }
    }
    return violations;
  }
}
