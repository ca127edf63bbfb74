package dev.presence.conformance.check;

import dev.presence.conformance.noise.TimingMiss;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Two live events about one user reach one session at least a window apart, less the run's spacing tolerance for
 * network bunching: PRS-THR-2 judges pairs of states, PRS-THR-6 pairs that involve a null.
 */
public final class SpacingChecker implements Checker {

  private final boolean nulls;

  private SpacingChecker(boolean nulls) {
    this.nulls = nulls;
  }

  /** Returns the PRS-THR-2 checker. */
  public static SpacingChecker states() {
    return new SpacingChecker(false);
  }

  /** Returns the PRS-THR-6 checker. */
  public static SpacingChecker nulls() {
    return new SpacingChecker(true);
  }

  @Override
  public String requirementId() {
    return nulls ? "PRS-THR-6" : "PRS-THR-2";
  }

  @Override
  public List<String> clauses() {
    // Arrivals are measured at the kit, not at the server, so "measured at the server" is not claimed.
    return nulls
        ? List.of("A null caused by a session ending or a clear MUST go through the same coalescing as a state")
        : List.of("For every pair of (user U, session S), a server MUST NOT deliver to S two live events about U less "
            + "than W apart");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    long window = run.run().throttleWindowMillis();
    long windowNanos = TimeUnit.MILLISECONDS.toNanos(window);
    long minimumNanos = TimeUnit.MILLISECONDS.toNanos(window - run.run().timing().spacingToleranceMillis());
    Map<String, ReceivedEvent> previous = new HashMap<>();
    List<Violation> violations = new ArrayList<>();
    for (ReceivedEvent e : ReceivedEvent.all(run)) {
      if (!e.live()) {
        continue;
      }
      ReceivedEvent before = previous.put(e.session() + "/" + e.user(), e);
      boolean involvesNull = before != null && (before.isNull() || e.isNull());
      long gap = before == null ? 0 : e.nanos() - before.nanos();
      if (before != null && involvesNull == nulls && gap < minimumNanos) {
        // Arrivals bunch when the kit's own receiving stalls, so the span to weigh runs from a window before the
        // first event to the second.
        TimingMiss miss = new TimingMiss(minimumNanos - gap, before.nanos() - windowNanos, e.nanos());
        violations.add(new Violation(requirementId(), e.step(), String.format(
            "%s received two live events about %s %.1f ms apart; the window is %d ms",
            e.session(), e.user(), gap / 1e6, window), miss));
      }
    }
    return violations;
  }
}
