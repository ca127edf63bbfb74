package dev.presence.conformance.check;

import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Rules about single frames, judged frame by frame: PRS-OPN-5 (nothing before opened), PRS-EVT-1 (no empty
 * presence frame), PRS-EVT-2 (null_reason set exactly on nulls).
 */
public final class FrameRulesChecker extends QuotedChecker {

  private final Rule rule;

  private interface Rule {
    void judge(String session, boolean firstFrame, ConnectResponse frame, BiConsumer<String, String> violation);
  }

  private FrameRulesChecker(String requirementId, String clause, Rule rule) {
    super(requirementId, List.of(clause));
    this.rule = rule;
  }

  /** Returns the PRS-OPN-5 checker. */
  public static FrameRulesChecker openedFirst() {
    return new FrameRulesChecker("PRS-OPN-5",
        "A server MUST NOT send any other frame to a session before opened.", (session, first, frame, violation) -> {
      if (first && !frame.hasOpened()) {
        violation.accept(session, "the first frame was " + frame.getFrameCase() + ", not opened");
      }
    });
  }

  /** Returns the PRS-EVT-1 checker. */
  public static FrameRulesChecker noEmptyBatch() {
    return new FrameRulesChecker("PRS-EVT-1",
        "A server MUST NOT send a presence frame with no events.", (session, first, frame, violation) -> {
      if (frame.hasPresence() && frame.getPresence().getEventsCount() == 0) {
        violation.accept(session, "a presence frame with no events");
      }
    });
  }

  /** Returns the PRS-EVT-2 checker. */
  public static FrameRulesChecker nullReasonOnNullsOnly() {
    return new FrameRulesChecker("PRS-EVT-2",
        "A server MUST set null_reason on every null event and MUST NOT set it on an event with a state.",
        (session, first, frame, violation) -> {
      for (PresenceEvent e : frame.getPresence().getEventsList()) {
        boolean hasReason = e.getNullReason() != NullReason.NULL_REASON_UNSPECIFIED;
        if (e.hasState() == hasReason) {
          violation.accept(session, e.hasState()
              ? "an event with a state also carries null_reason " + e.getNullReason()
              : "a null event about " + e.getUserId() + " has no null_reason");
        }
      }
    });
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    List<Violation> violations = new ArrayList<>();
    Set<String> started = new HashSet<>();
    List<Observation> history = run.history();
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i) instanceof Observation.Received r) {
        int step = run.stepAt(i);
        rule.judge(r.session(), started.add(r.session()), r.frame(),
            (session, message) -> violations.add(new Violation(requirementId(), step, session + " received " + message)));
      }
    }
    return violations;
  }
}
