package dev.presence.conformance.check;

import dev.presence.conformance.scenario.Step;
import dev.presence.conformance.scenario.TargetSpec;
import dev.presence.protocol.v1.NullReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The order in which a request's tagged events and its answer must arrive, judged on each session's ordered frame
 * trace through its {@link Exchanges}: the snapshot before {@code snapshot_complete} (PRS-SUB-3), a retarget's
 * nulls, then its states, then {@code snapshot_complete}, and nothing again for users in both scopes (PRS-SUB-6),
 * an unsubscribe's nulls before its {@code ack} (PRS-SUB-7), a follow's state and an unfollow's null before the
 * {@code ack} (PRS-FOL-3, PRS-FOL-4).
 *
 * <p>Whether the right users arrive is the settled views' concern; this checker judges only where each tagged event
 * falls. A tagged event that arrives after an answer while no request waits for one can only have come from the
 * request answered last, so it is charged to that request's rule.
 */
public final class AnswerOrderChecker extends QuotedChecker {

  private final Exchange.Kind kind;

  private AnswerOrderChecker(String requirementId, Exchange.Kind kind, String... clauses) {
    super(requirementId, List.of(clauses));
    this.kind = kind;
  }

  /** Returns the PRS-SUB-3 checker: a new subscription's snapshot, then its {@code snapshot_complete}. */
  public static AnswerOrderChecker newSubscription() {
    return new AnswerOrderChecker("PRS-SUB-3", Exchange.Kind.SUBSCRIBE,
        "the server MUST deliver the current non-null presence of every user in its scope as tagged events naming "
            + "that subscription, then `snapshot_complete` with its `subscription_id` and the `subscribe` frame's "
            + "`request_id`",
        "Users with null presence MUST NOT appear.");
  }

  /** Returns the PRS-SUB-6 checker: a retarget's nulls, then its states, then {@code snapshot_complete}. */
  public static AnswerOrderChecker retarget() {
    return new AnswerOrderChecker("PRS-SUB-6", Exchange.Kind.RETARGET,
        "then the non-null presence of each user entering its scope, then `snapshot_complete`",
        "Users in both scopes MUST NOT be delivered again.");
  }

  /** Returns the PRS-SUB-7 checker: an unsubscribe's nulls, then its {@code ack}. */
  public static AnswerOrderChecker unsubscribe() {
    return new AnswerOrderChecker("PRS-SUB-7", Exchange.Kind.UNSUBSCRIBE,
        "The server MUST deliver, tagged with its id, a null with reason `OUT_OF_SCOPE`",
        "then an `ack` with the frame's `request_id` when it is non-zero");
  }

  /** Returns the PRS-FOL-3 checker: a follow's one tagged state, before the {@code ack}. */
  public static AnswerOrderChecker follow() {
    return new AnswerOrderChecker("PRS-FOL-3", Exchange.Kind.FOLLOW,
        "it MUST deliver that presence at once as one tagged event naming those subscriptions, before the `ack`");
  }

  /** Returns the PRS-FOL-4 checker: an unfollow's one tagged null, before the {@code ack}. */
  public static AnswerOrderChecker unfollow() {
    return new AnswerOrderChecker("PRS-FOL-4", Exchange.Kind.UNFOLLOW,
        "it MUST deliver one null with reason `OUT_OF_SCOPE` tagged with those subscriptions, before the `ack`");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    List<Violation> violations = new ArrayList<>();
    for (Exchange x : Exchanges.of(run).all()) {
      if (x.kind() != kind || !x.answered() || x.answer().hasError()) {
        continue;
      }
      int step = run.stepAt(x.answerPosition());
      Consumer<String> violation = message -> violations.add(new Violation(requirementId(), step,
          x.describe(run) + ": " + message));
      for (ReceivedEvent e : x.taggedAfterAnswer()) {
        violation.accept(String.format("a tagged %s about %s arrived after the %s", what(e), e.user(),
            x.answer().getFrameCase()));
      }
      switch (kind) {
        case SUBSCRIBE -> judgeSnapshot(x, violation);
        case RETARGET -> judgeRetarget(run, x, violation);
        case UNSUBSCRIBE -> judgeUnsubscribe(x, violation);
        case FOLLOW, UNFOLLOW -> judgeFollow(x, violation);
      }
    }
    return violations;
  }

  private static void judgeSnapshot(Exchange x, Consumer<String> violation) {
    if (x.answer().hasSnapshotComplete()
        && !x.answer().getSnapshotComplete().getSubscriptionId().equals(x.subscriptionId())) {
      violation.accept("its snapshot_complete names subscription "
          + x.answer().getSnapshotComplete().getSubscriptionId());
    }
    for (ReceivedEvent e : x.tagged()) {
      if (e.isNull()) {
        violation.accept("its snapshot holds a null about " + e.user());
      }
    }
  }

  private static void judgeRetarget(RunAnalysis run, Exchange x, Consumer<String> violation) {
    ReceivedEvent firstState = null;
    for (ReceivedEvent e : x.tagged()) {
      if (!e.isNull() && firstState == null) {
        firstState = e;
      } else if (e.isNull() && firstState != null) {
        violation.accept(String.format("the null about %s came after the state of %s", e.user(),
            firstState.user()));
      }
    }
    Set<String> both = usersInBothScopes(run, x);
    Set<String> reported = new HashSet<>();
    for (ReceivedEvent e : x.tagged()) {
      if (both.contains(e.user()) && reported.add(e.user())) {
        violation.accept(String.format("%s was delivered again (a tagged %s), though in both scopes", e.user(),
            what(e)));
      }
    }
  }

  private static void judgeUnsubscribe(Exchange x, Consumer<String> violation) {
    for (ReceivedEvent e : x.tagged()) {
      if (!e.isNull() || e.event().getNullReason() != NullReason.NULL_REASON_OUT_OF_SCOPE
          || !e.event().getSubscriptionIdsList().equals(List.of(x.subscriptionId()))) {
        violation.accept(String.format("a tagged %s about %s naming %s, not an OUT_OF_SCOPE null tagged with [%s]",
            what(e), e.user(), e.event().getSubscriptionIdsList(), x.subscriptionId()));
      }
    }
  }

  private void judgeFollow(Exchange x, Consumer<String> violation) {
    List<ReceivedEvent> tagged = x.tagged();
    if (tagged.size() > 1) {
      violation.accept(tagged.size() + " tagged events, not one");
    }
    for (ReceivedEvent e : tagged) {
      boolean wanted = kind == Exchange.Kind.FOLLOW ? !e.isNull()
          : e.isNull() && e.event().getNullReason() == NullReason.NULL_REASON_OUT_OF_SCOPE;
      if (!wanted || !Set.copyOf(e.event().getSubscriptionIdsList()).equals(x.followingSubscriptions())) {
        violation.accept(String.format("a tagged %s about %s naming %s; the followed_users subscriptions are %s",
            what(e), e.user(), e.event().getSubscriptionIdsList(), x.followingSubscriptions()));
      }
    }
  }

  private static String what(ReceivedEvent e) {
    return e.isNull() ? "null (" + e.event().getNullReason() + ")" : "state";
  }

  /**
   * The users present in the room whom the subscription's target covered before the retarget and covers after it,
   * from the scenario's steps; empty when the request is not a scenario step's.
   */
  private static Set<String> usersInBothScopes(RunAnalysis run, Exchange x) {
    int k = run.stepAt(x.requestPosition());
    if (k < 0 || k >= run.steps().size() || !(run.steps().get(k) instanceof Step.Subscribe retarget)
        || !retarget.session().equals(x.session()) || !retarget.subscriptionId().equals(x.subscriptionId())) {
      return Set.of();
    }
    Map<String, TargetSpec> targets = new HashMap<>();
    Set<String> follows = new HashSet<>();
    for (Step step : run.steps().subList(0, k)) {
      if (!step.session().equals(x.session())) {
        continue;
      }
      if (step instanceof Step.Subscribe s) {
        targets.put(s.subscriptionId(), s.target());
      } else if (step instanceof Step.Unsubscribe u) {
        targets.remove(u.subscriptionId());
      } else if (step instanceof Step.Follow f) {
        follows.add(f.user());
      } else if (step instanceof Step.Unfollow u) {
        follows.remove(u.user());
      }
    }
    TargetSpec before = targets.get(x.subscriptionId());
    String room = run.roomOf(x.session());
    Set<String> both = new HashSet<>();
    for (Step step : run.steps()) {
      if (before != null && step instanceof Step.Join join && join.room().equals(room)
          && run.liveSessionsAfter(k - 1, join.user(), room) > 0
          && covers(before, join.user(), follows) && covers(retarget.target(), join.user(), follows)) {
        both.add(join.user());
      }
    }
    return both;
  }

  private static boolean covers(TargetSpec target, String user, Set<String> follows) {
    return switch (target.kind()) {
      case ALL -> true;
      case FOLLOWING -> follows.contains(user);
      case USER -> target.user().equals(user);
    };
  }
}
