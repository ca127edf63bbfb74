package dev.presence.conformance.check;

import dev.presence.conformance.history.Observation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nulls against the session's view (SPEC.md section 1.2): PRS-EVT-5 forbids a live null on a null view (a null
 * for a user the session never saw); as a PRS-EVT-6 checker it reports the second of two live nulls in a row
 * ("exactly one null").
 */
public final class NullChecker implements Checker {

  private final boolean duplicates;

  private NullChecker(boolean duplicates) {
    this.duplicates = duplicates;
  }

  /** Returns the PRS-EVT-5 checker: nulls for users the session holds no state of. */
  public static NullChecker spurious() {
    return new NullChecker(false);
  }

  /** Returns the PRS-EVT-6 checker: a second null in a row. */
  public static NullChecker duplicate() {
    return new NullChecker(true);
  }

  @Override
  public String requirementId() {
    return duplicates ? "PRS-EVT-6" : "PRS-EVT-5";
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    Map<String, Boolean> viewNonNull = new HashMap<>();
    Map<String, Boolean> lastLiveWasNull = new HashMap<>();
    List<ReceivedEvent> events = ReceivedEvent.all(run);
    List<Violation> violations = new ArrayList<>();
    int next = 0;
    List<Observation> history = run.history();
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i) instanceof Observation.Settled settled) {
        viewNonNull.keySet().removeIf(key -> !inScope(run, settled.index(), key));
      }
      while (next < events.size() && events.get(next).position() == i) {
        judge(events.get(next++), viewNonNull, lastLiveWasNull, violations);
      }
    }
    return violations;
  }

  private void judge(ReceivedEvent e, Map<String, Boolean> viewNonNull, Map<String, Boolean> lastLiveWasNull,
      List<Violation> violations) {
    String key = e.session() + "/" + e.user();
    if (!e.isNull()) {
      viewNonNull.put(key, true);
      if (e.live()) {
        lastLiveWasNull.put(key, false);
      }
      return;
    }
    if (!e.live()) {
      return;
    }
    boolean seen = viewNonNull.getOrDefault(key, false);
    boolean repeated = lastLiveWasNull.getOrDefault(key, false);
    if (!seen && duplicates == repeated) {
      violations.add(new Violation(requirementId(), e.step(), repeated
          ? String.format("%s received a second null in a row about %s", e.session(), e.user())
          : String.format("%s received a null (%s) about %s, whose state it was never sent",
              e.session(), e.event().getNullReason(), e.user())));
    }
    viewNonNull.remove(key);
    lastLiveWasNull.put(key, true);
  }

  private static boolean inScope(RunAnalysis run, int step, String key) {
    int slash = key.indexOf('/');
    return run.scopeAfter(step, key.substring(0, slash)).contains(key.substring(slash + 1));
  }
}
