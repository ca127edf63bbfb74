package dev.presence.conformance.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * PRS-THR-2: two live events about one user reach one session at least a window apart, less the run's spacing
 * tolerance for network bunching.
 */
public final class SpacingChecker implements Checker {

  @Override
  public String requirementId() {
    return "PRS-THR-2";
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    long window = run.run().throttleWindowMillis();
    long minimumNanos = TimeUnit.MILLISECONDS.toNanos(window - run.run().timing().spacingToleranceMillis());
    Map<String, ReceivedEvent> previous = new HashMap<>();
    List<Violation> violations = new ArrayList<>();
    for (ReceivedEvent e : ReceivedEvent.all(run)) {
      if (!e.live()) {
        continue;
      }
      ReceivedEvent before = previous.put(e.session() + "/" + e.user(), e);
      if (before != null && e.nanos() - before.nanos() < minimumNanos) {
        violations.add(new Violation(requirementId(), e.step(), String.format(
            "%s received two live events about %s %.1f ms apart; the window is %d ms",
            e.session(), e.user(), (e.nanos() - before.nanos()) / 1e6, window)));
      }
    }
    return violations;
  }
}
