package dev.presence.conformance.check;

import dev.presence.conformance.scenario.ScenarioStates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PRS-THR-4: the states one session sent reach every subscriber in the order they were set; a superseded state
 * never follows its successor.
 */
public final class OrderChecker implements Checker {

  @Override
  public String requirementId() {
    return "PRS-THR-4";
  }

  @Override
  public List<String> clauses() {
    // Only the states one session sent have a known order; the order across a user's sessions is the server's own.
    return List.of("a state superseded in that order MUST NOT be delivered after its successor");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    Map<String, ScenarioStates.Origin> latest = new HashMap<>();
    List<Violation> violations = new ArrayList<>();
    for (ReceivedEvent e : ReceivedEvent.all(run)) {
      if (e.isNull()) {
        continue;
      }
      ScenarioStates.Origin origin = ScenarioStates.originOf(e.event().getState());
      if (origin == null) {
        continue;
      }
      String key = e.session() + "/" + origin.session();
      ScenarioStates.Origin before = latest.get(key);
      if (before != null && origin.compareTo(before) < 0) {
        violations.add(new Violation(requirementId(), e.step(), String.format(
            "%s received the state of %s after the later state of %s", e.session(), origin, before)));
      } else {
        latest.put(key, origin);
      }
    }
    return violations;
  }
}
