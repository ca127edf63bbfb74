package dev.presence.conformance.check;

import dev.presence.conformance.history.Observation;
import dev.presence.conformance.scenario.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nulls against the session's view (SPEC.md section 1.2): PRS-EVT-5 forbids a live null on a null view (a null
 * for a user the session never saw); as a PRS-EVT-6 checker it reports the second of two live nulls in a row
 * ("exactly one null").
 *
 * <p>A view becomes null when a live null is delivered, or when the session's own retarget, unsubscribe or unfollow
 * takes the user out of every scope, departed users counting as in scope (PRS-SUB-12). A user's leaving the room
 * leaves the view as it was, so the owed null stays legitimate however late it comes.
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
  public List<String> clauses() {
    return duplicates
        ? List.of("exactly one live null about U")
        : List.of("A server MUST NOT deliver a live null about user U to session S unless the view of S on U is "
            + "non-null (no spurious nulls)");
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
      if (answersNarrowing(run, i)) {
        int step = run.stepAt(i);
        String prefix = run.steps().get(step).session() + "/";
        viewNonNull.keySet().removeIf(key -> key.startsWith(prefix) && !inScope(run, step, key));
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

  /** Whether observation i is the answer to a step by which its session may narrow its own scope. */
  private static boolean answersNarrowing(RunAnalysis run, int i) {
    int k = run.stepAt(i);
    if (k < 0 || k >= run.steps().size() || !(run.history().get(i) instanceof Observation.Received r)
        || !(r.frame().hasAck() || r.frame().hasSnapshotComplete())) {
      return false;
    }
    Step step = run.steps().get(k);
    return step.session().equals(r.session())
        && (step instanceof Step.Subscribe || step instanceof Step.Unsubscribe || step instanceof Step.Unfollow);
  }

  private static boolean inScope(RunAnalysis run, int step, String key) {
    int slash = key.indexOf('/');
    String session = key.substring(0, slash);
    String user = key.substring(slash + 1);
    return run.scopeAfter(step, session).contains(user) || run.departedAfter(step, session).contains(user);
  }
}
