package dev.presence.conformance.check;

import com.google.protobuf.Struct;
import dev.presence.conformance.history.Observation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PRS-STA-5: every state delivered about a user is exactly a state one of that user's sessions sent, unchanged.
 */
public final class NoInventionChecker implements Checker {

  @Override
  public String requirementId() {
    return "PRS-STA-5";
  }

  @Override
  public List<String> clauses() {
    return List.of("A server MUST deliver states exactly as set: the same JSON value, no field added, removed or "
        + "changed.", "It MUST NOT deliver a state for a user that no session of that user set.");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    Map<String, Set<Struct>> sentByUser = new HashMap<>();
    for (Observation o : run.history()) {
      if (o instanceof Observation.Sent s && s.frame().hasUpdateState()) {
        sentByUser.computeIfAbsent(run.userOf(s.session()), u -> new HashSet<>())
            .add(s.frame().getUpdateState().getState());
      }
    }
    List<Violation> violations = new ArrayList<>();
    for (ReceivedEvent e : ReceivedEvent.all(run)) {
      if (!e.isNull() && !sentByUser.getOrDefault(e.user(), Set.of()).contains(e.event().getState())) {
        violations.add(new Violation(requirementId(), e.step(), String.format(
            "%s received a state for %s that no session of %s sent: %s",
            e.session(), e.user(), e.user(), abbreviate(e.event().getState().toString()))));
      }
    }
    return violations;
  }

  private static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
  }
}
