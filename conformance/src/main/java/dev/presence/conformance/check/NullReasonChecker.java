package dev.presence.conformance.check;

import dev.presence.conformance.scenario.Step;
import dev.presence.protocol.v1.NullReason;
import java.util.ArrayList;
import java.util.List;

/**
 * The reason on live nulls caused by a step: PRS-END-3 when the step ended the user's last session (the reason
 * its end kind requires), PRS-SES-5 when the user keeps a session ({@code CLEARED}).
 */
public final class NullReasonChecker implements Checker {

  private final boolean lastSession;

  private NullReasonChecker(boolean lastSession) {
    this.lastSession = lastSession;
  }

  /** Returns the PRS-END-3 checker. */
  public static NullReasonChecker lastSessionEnded() {
    return new NullReasonChecker(true);
  }

  /** Returns the PRS-SES-5 checker. */
  public static NullReasonChecker userStillPresent() {
    return new NullReasonChecker(false);
  }

  @Override
  public String requirementId() {
    return lastSession ? "PRS-END-3" : "PRS-SES-5";
  }

  @Override
  public List<String> clauses() {
    return lastSession
        ? List.of("When the ended session was its user's last in the room and the user's presence was non-null, the "
            + "null MUST carry the reason", "TIMED_OUT when the server's own liveness detection ended it",
            "LEFT for every other way, including a connection the peer closed or reset")
        : List.of("When the presence of a user becomes null while the user still has a live session in the room, the "
            + "null's reason MUST be CLEARED.");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    List<Violation> violations = new ArrayList<>();
    for (ReceivedEvent e : ReceivedEvent.all(run)) {
      if (!e.isNull() || !e.live() || e.step() < 0) {
        continue;
      }
      Step step = run.steps().get(e.step());
      if (!(step instanceof Step.End || step instanceof Step.Clear)
          || !run.userOf(step.session()).equals(e.user())) {
        continue;
      }
      boolean stillPresent = run.liveSessionsAfter(e.step(), e.user(), run.roomOf(step.session())) > 0;
      if (stillPresent == lastSession) {
        continue;
      }
      NullReason expected = stillPresent ? NullReason.NULL_REASON_CLEARED : ((Step.End) step).how().expectedReason();
      if (e.event().getNullReason() != expected) {
        violations.add(new Violation(requirementId(), e.step(), String.format(
            "after %s, %s received a null about %s with reason %s; expected %s",
            step, e.session(), e.user(), e.event().getNullReason(), expected)));
      }
    }
    return violations;
  }
}
