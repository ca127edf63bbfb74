package dev.presence.conformance.check;

import dev.presence.conformance.scenario.ScenarioStates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PRS-EVT-5's second half on each session's ordered frame trace: after a live null about a user, the session hears
 * nothing about that user until the user's presence is non-null again. Presence can only become non-null again by
 * an update made after the null's cause, so the next state must be newer than every state of that user the
 * session received before the null; an older or equal one brings a superseded state back.
 */
public final class ResurrectionChecker implements Checker {

  @Override
  public String requirementId() {
    return "PRS-EVT-5";
  }

  @Override
  public List<String> clauses() {
    return List.of("and after it MUST NOT deliver anything about U to S until U's presence is non-null again");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    Map<String, ScenarioStates.Origin> newest = new HashMap<>();
    Set<String> afterNull = new HashSet<>();
    List<Violation> violations = new ArrayList<>();
    for (ReceivedEvent e : ReceivedEvent.all(run)) {
      String key = e.session() + "/" + e.user();
      if (e.isNull()) {
        if (e.live()) {
          afterNull.add(key);
        }
        continue;
      }
      ScenarioStates.Origin origin = ScenarioStates.originOf(e.event().getState());
      if (origin == null) {
        continue;
      }
      ScenarioStates.Origin before = newest.get(key);
      if (afterNull.remove(key) && before != null && origin.compareTo(before) <= 0) {
        violations.add(new Violation(requirementId(), e.step(), String.format(
            "after a live null about %s, %s received the state of %s again, no newer than the state of %s it "
                + "held before the null", e.user(), e.session(), origin, before)));
      }
      if (before == null || origin.compareTo(before) > 0) {
        newest.put(key, origin);
      }
    }
    return violations;
  }
}
