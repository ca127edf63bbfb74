package dev.presence.conformance.check;

import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.ConnectResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PRS-MEM-6 on each session's ordered frame trace: a snapshot, whether of a subscribe, a retarget or a follow,
 * shows the room at one instant. So no membership frame falls between its first tagged event and its answer, and
 * no state in it is about a user whose {@code member_left} the session received before it without a
 * {@code member_joined} since.
 */
public final class SnapshotMembershipChecker implements Checker {

  @Override
  public String requirementId() {
    return "PRS-MEM-6";
  }

  @Override
  public List<String> clauses() {
    return List.of("A snapshot MUST show the room at the instant the server processes the `subscribe` or `follow`: "
        + "membership changes processed before that instant MUST be delivered before the first tagged event it "
        + "causes, and changes processed after it MUST be delivered after its `snapshot_complete` or `ack`.");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    List<Violation> violations = new ArrayList<>();
    for (Exchange x : Exchanges.of(run).all()) {
      if (x.kind() == Exchange.Kind.UNSUBSCRIBE || x.kind() == Exchange.Kind.UNFOLLOW || !x.answered()
          || x.tagged().isEmpty()) {
        continue;
      }
      int first = x.tagged().get(0).position();
      for (int i = first + 1; i < x.answerPosition(); i++) {
        if (run.history().get(i) instanceof Observation.Received r && r.session().equals(x.session())
            && (r.frame().hasMemberJoined() || r.frame().hasMemberLeft())) {
          violations.add(new Violation(requirementId(), run.stepAt(i), String.format(
              "%s received %s about %s inside the snapshot of %s", x.session(), r.frame().getFrameCase(),
              run.scenarioUser(memberOf(r.frame())), x.describe(run))));
        }
      }
      Set<String> gone = leftBefore(run, x.session(), first);
      for (ReceivedEvent e : x.tagged()) {
        if (!e.isNull() && gone.contains(e.event().getUserId())) {
          violations.add(new Violation(requirementId(), e.step(), String.format(
              "the snapshot of %s holds a state of %s, whose member_left came before it", x.describe(run), e.user())));
        }
      }
    }
    return violations;
  }

  /** The users whose last membership frame before a position told the session they left. */
  private static Set<String> leftBefore(RunAnalysis run, String session, int position) {
    Map<String, Boolean> left = new HashMap<>();
    for (int i = 0; i < position; i++) {
      if (run.history().get(i) instanceof Observation.Received r && r.session().equals(session)) {
        if (r.frame().hasMemberLeft()) {
          left.put(r.frame().getMemberLeft().getUserId(), true);
        } else if (r.frame().hasMemberJoined()) {
          left.put(r.frame().getMemberJoined().getUser().getUserId(), false);
        }
      }
    }
    Set<String> gone = new HashSet<>();
    left.forEach((user, isGone) -> {
      if (isGone) {
        gone.add(user);
      }
    });
    return gone;
  }

  private static String memberOf(ConnectResponse frame) {
    return frame.hasMemberLeft() ? frame.getMemberLeft().getUserId() : frame.getMemberJoined().getUser().getUserId();
  }
}
