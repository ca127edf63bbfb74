package dev.presence.conformance.check;

import dev.presence.conformance.history.Observation;
import dev.presence.conformance.scenario.Step;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PRS-THR-5: no session of a scenario ends unless the kit ended it; bursts faster than the window are coalesced,
 * never punished. An end for PING_TIMEOUT is left to PRS-LIV-4 and PRS-LIV-6, which know whether the session
 * declared {@code CAPABILITY_PING} and answered its pings.
 */
public final class UnexpectedEndChecker implements Checker {

  @Override
  public String requirementId() {
    return "PRS-THR-5";
  }

  @Override
  public List<String> clauses() {
    // An end is observable; a degraded session is not.
    return List.of("A server MUST NOT end", "a session because it sends updates faster than W");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    Set<String> endedByKit = new HashSet<>();
    List<Violation> violations = new ArrayList<>();
    List<Observation> history = run.history();
    for (int i = 0; i < history.size(); i++) {
      Observation o = history.get(i);
      int step = run.stepAt(i);
      if (o instanceof Observation.StepStarted s && run.steps().size() > s.index()
          && run.steps().get(s.index()) instanceof Step.End end) {
        endedByKit.add(end.session());
      } else if (o instanceof Observation.Ended e && !endedByKit.contains(e.session())
          && !e.errorInfoReason().equals("PING_TIMEOUT")) {
        violations.add(new Violation(requirementId(), step, String.format(
            "the server ended %s with %s %s (%s)", e.session(), e.code(), e.errorInfoReason(), e.description())));
      }
    }
    return violations;
  }
}
