package dev.presence.conformance.check;

import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.NullReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * PRS-SES-4: while a user keeps a live session in the room, nobody receives a leave-type null
 * ({@code LEFT}, {@code TIMED_OUT}, {@code REVOKED}) or {@code member_left} for that user.
 */
public final class TabCloseChecker implements Checker {

  private static final Set<NullReason> LEAVE_REASONS =
      Set.of(NullReason.NULL_REASON_LEFT, NullReason.NULL_REASON_TIMED_OUT, NullReason.NULL_REASON_REVOKED);

  @Override
  public String requirementId() {
    return "PRS-SES-4";
  }

  @Override
  public List<String> clauses() {
    return List.of("When a session ends and its user still has another live session in the room, the server MUST NOT "
        + "deliver a null with reason LEFT, TIMED_OUT or REVOKED for that user, and MUST NOT send member_left for that "
        + "user.");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    List<Violation> violations = new ArrayList<>();
    for (ReceivedEvent e : ReceivedEvent.all(run)) {
      if (e.isNull() && LEAVE_REASONS.contains(e.event().getNullReason())
          && stayed(run, e.step(), e.user(), run.roomOf(e.session()))) {
        violations.add(new Violation(requirementId(), e.step(), String.format(
            "%s received a %s null about %s, who still has a live session",
            e.session(), e.event().getNullReason(), e.user())));
      }
    }
    List<Observation> history = run.history();
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i) instanceof Observation.Received r && r.frame().hasMemberLeft()) {
        String user = run.scenarioUser(r.frame().getMemberLeft().getUserId());
        int step = run.stepAt(i);
        if (stayed(run, step, user, run.roomOf(r.session()))) {
          violations.add(new Violation(requirementId(), step, String.format(
              "%s received member_left for %s, who still has a live session", r.session(), user)));
        }
      }
    }
    return violations;
  }

  private static boolean stayed(RunAnalysis run, int step, String user, String room) {
    return step >= 1 && run.liveSessionsAfter(step - 1, user, room) > 0 && run.liveSessionsAfter(step, user, room) > 0;
  }
}
