package dev.presence.conformance.check;

import dev.presence.protocol.v1.ConnectResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Which answers a session's requests get, judged on its ordered frame trace through its {@link Exchanges}:
 * PRS-ACK-1 (each request its one kind of answer, one that comes at all, and no answer that answers nothing),
 * PRS-ACK-2 (answers in the order of the requests) and PRS-FOL-2 (exactly one answer to a {@code follow} or an
 * {@code unfollow}).
 */
public final class AnswerChecker extends QuotedChecker {

  private enum Rule { KINDS, ORDER, FOLLOWS_ONCE }

  private final Rule rule;

  private AnswerChecker(String requirementId, Rule rule, String clause) {
    super(requirementId, List.of(clause));
    this.rule = rule;
  }

  /** Returns the PRS-ACK-1 checker: no stray answer, and each request answered by its kind of frame. */
  public static AnswerChecker kinds() {
    return new AnswerChecker("PRS-ACK-1", Rule.KINDS, "A server MUST answer frames as follows, and no other way");
  }

  /** Returns the PRS-ACK-2 checker: no answer overtakes the answer to an older request. */
  public static AnswerChecker order() {
    return new AnswerChecker("PRS-ACK-2", Rule.ORDER, "MUST answer each frame on its own, in the order of the "
        + "frames, even when several carry the same `request_id`");
  }

  /** Returns the PRS-FOL-2 checker: a follow or an unfollow answered once. */
  public static AnswerChecker followsOnce() {
    return new AnswerChecker("PRS-FOL-2", Rule.FOLLOWS_ONCE, "A server MUST answer every valid `follow` and "
        + "`unfollow` with exactly one `ack` or one `ProtocolError` carrying its `request_id`.");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    Exchanges exchanges = Exchanges.of(run);
    List<Violation> violations = new ArrayList<>();
    switch (rule) {
      case KINDS -> {
        for (Exchanges.Stray s : exchanges.strays()) {
          violations.add(new Violation(requirementId(), run.stepAt(s.position()), String.format(
              "%s received %s with request_id %d, which answers no request still waiting for one%s", s.session(),
              s.frame().getFrameCase(), requestId(s.frame()),
              s.answeredBefore() == null ? "" : "; " + s.answeredBefore().describe(run) + " was answered already")));
        }
        for (Exchange x : exchanges.all()) {
          if (x.answered() && !x.answer().hasError() && !rightKind(x)) {
            violations.add(new Violation(requirementId(), run.stepAt(x.answerPosition()),
                x.describe(run) + " was answered by " + x.answer().getFrameCase()));
          }
        }
        run.unanswered().ifPresent(u -> violations.add(new Violation(requirementId(), run.run().abortedAt(),
            String.format("%s got no %s (request_id or nonce %d) in %d ms, and the scenario stopped there",
                u.session(), u.awaited(), u.requestId(), u.waitedMillis()))));
      }
      case ORDER -> {
        for (Exchanges.Overtaking o : exchanges.overtakings()) {
          violations.add(new Violation(requirementId(), run.stepAt(o.answered().answerPosition()),
              o.answered().describe(run) + " was answered before the older " + o.older().describe(run)));
        }
      }
      case FOLLOWS_ONCE -> {
        for (Exchanges.Stray s : exchanges.strays()) {
          Exchange first = s.answeredBefore();
          if (first != null && (first.kind() == Exchange.Kind.FOLLOW || first.kind() == Exchange.Kind.UNFOLLOW)) {
            violations.add(new Violation(requirementId(), run.stepAt(s.position()), String.format(
                "%s got a second answer (%s) after its %s", first.describe(run), s.frame().getFrameCase(),
                first.answer().getFrameCase())));
          }
        }
      }
    }
    return violations;
  }

  private static boolean rightKind(Exchange x) {
    return switch (x.kind()) {
      case SUBSCRIBE, RETARGET -> x.answer().hasSnapshotComplete();
      case UNSUBSCRIBE, FOLLOW, UNFOLLOW -> x.answer().hasAck();
    };
  }

  private static long requestId(ConnectResponse answer) {
    return switch (answer.getFrameCase()) {
      case ACK -> answer.getAck().getRequestId();
      case SNAPSHOT_COMPLETE -> answer.getSnapshotComplete().getRequestId();
      default -> answer.getError().getRequestId();
    };
  }
}
