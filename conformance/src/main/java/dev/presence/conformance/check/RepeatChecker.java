package dev.presence.conformance.check;

import com.google.protobuf.Struct;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** PRS-EVT-7 (SHOULD): a live event does not repeat the state the session's view already holds. */
public final class RepeatChecker implements Checker {

  @Override
  public String requirementId() {
    return "PRS-EVT-7";
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    Map<String, Struct> view = new HashMap<>();
    List<Violation> violations = new ArrayList<>();
    for (ReceivedEvent e : ReceivedEvent.all(run)) {
      String key = e.session() + "/" + e.user();
      if (e.isNull()) {
        if (e.live()) {
          view.remove(key);
        }
        continue;
      }
      Struct before = view.put(key, e.event().getState());
      if (e.live() && e.event().getState().equals(before)) {
        violations.add(new Violation(requirementId(), e.step(), String.format(
            "%s received a live event repeating the state of %s it already held", e.session(), e.user())));
      }
    }
    return violations;
  }
}
