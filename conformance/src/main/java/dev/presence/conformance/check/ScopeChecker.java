package dev.presence.conformance.check;

import java.util.ArrayList;
import java.util.List;

/**
 * PRS-TGT-4 (server-side filtering) or PRS-TGT-5 (room isolation): a session receives events only about users in
 * the union of its subscriptions' scopes around the time they arrive. An event during step k may reflect the scope
 * after step k-2, k-1 or k, which absorbs every legitimate race between a scope change and delivery. A null may
 * also be about a departed user still in scope (SPEC.md section 1.2): PRS-TGT-4 excepts the nulls owed about them
 * and their {@code OUT_OF_SCOPE} nulls.
 */
public final class ScopeChecker implements Checker {

  private final boolean roomIsolation;

  private ScopeChecker(boolean roomIsolation) {
    this.roomIsolation = roomIsolation;
  }

  /** Returns the PRS-TGT-4 checker: events about users of the room outside every target. */
  public static ScopeChecker filtering() {
    return new ScopeChecker(false);
  }

  /** Returns the PRS-TGT-5 checker: events about users who were never in the session's room. */
  public static ScopeChecker roomIsolation() {
    return new ScopeChecker(true);
  }

  @Override
  public String requirementId() {
    return roomIsolation ? "PRS-TGT-5" : "PRS-TGT-4";
  }

  @Override
  public List<String> clauses() {
    return roomIsolation
        ? List.of("Rooms MUST be isolated: no event", "of one room reaches a session of another")
        : List.of("The server MUST filter: a session MUST NOT receive any event about a user outside the union of the "
            + "scopes of its subscriptions, except the OUT_OF_SCOPE nulls of PRS-SUB-6, PRS-SUB-7 and PRS-FOL-4 and "
            + "the nulls owed about departed users (PRS-EVT-6, PRS-END-2).");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    List<Violation> violations = new ArrayList<>();
    for (ReceivedEvent e : ReceivedEvent.all(run)) {
      String room = run.roomOf(e.session());
      boolean foreign = !run.everIn(e.user(), room);
      if (roomIsolation && foreign) {
        violations.add(new Violation(requirementId(), e.step(), String.format(
            "%s in %s received an event about %s, who was never in that room", e.session(), room, e.user())));
      } else if (!roomIsolation && !foreign && !inRecentScope(run, e)) {
        violations.add(new Violation(requirementId(), e.step(), String.format(
            "%s received an event about %s, who is outside every target of its subscriptions",
            e.session(), e.user())));
      }
    }
    return violations;
  }

  private static boolean inRecentScope(RunAnalysis run, ReceivedEvent e) {
    for (int k = e.step() - 2; k <= e.step(); k++) {
      if (run.scopeAfter(k, e.session()).contains(e.user())
          || (e.isNull() && run.departedAfter(k, e.session()).contains(e.user()))) {
        return true;
      }
    }
    return false;
  }
}
