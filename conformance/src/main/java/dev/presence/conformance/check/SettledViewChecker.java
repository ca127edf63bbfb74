package dev.presence.conformance.check;

import com.google.protobuf.Struct;
import dev.presence.conformance.history.Observation;
import dev.presence.conformance.model.SessionView;
import dev.presence.conformance.driver.SessionViews;
import dev.presence.conformance.noise.TimingMiss;
import dev.presence.conformance.scenario.ScenarioStates;
import dev.presence.conformance.scenario.Step;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares what each subscription holds, seen through a correct client (PRS-EVT-3, PRS-EVT-4, PRS-EVT-8), with
 * what the model expects once a step has settled. A mismatch is charged to the requirement governing the step that
 * last changed the expectation for that subscription and user, so one checker instance serves each such
 * requirement.
 */
public final class SettledViewChecker implements Checker {

  /** What kind of step changed an expectation; decides which requirement a mismatch breaks. */
  public enum Cause {
    /** An update by the user: the latest state must arrive (PRS-THR-3). */
    UPDATE,
    /** A clear leaving the user without state: one null must arrive (PRS-EVT-6). */
    CLEAR,
    /** The user's last session ended (PRS-END-2). */
    LAST_SESSION_ENDED,
    /** One of the user's sessions ended while another stays (PRS-SES-3). */
    OTHER_SESSION_ENDED,
    /** A new subscription (PRS-SUB-3). */
    NEW_SUBSCRIPTION,
    /** A target change (PRS-SUB-6). */
    TARGET_CHANGE,
    /** A follow (PRS-FOL-3). */
    FOLLOW,
    /** An unfollow (PRS-FOL-4). */
    UNFOLLOW
  }

  private final String requirementId;
  private final Cause cause;

  /**
   * Creates the checker for one cause.
   *
   * @param requirementId the requirement that cause's mismatches break
   * @param cause the cause
   */
  public SettledViewChecker(String requirementId, Cause cause) {
    this.requirementId = requirementId;
    this.cause = cause;
  }

  @Override
  public String requirementId() {
    return requirementId;
  }

  /**
   * A settled view shows what a subscription ends up holding, never how it got there: not the reasons, tags or order
   * of the frames, so the quotes stop short of those.
   */
  @Override
  public List<String> clauses() {
    return switch (cause) {
      case UPDATE -> List.of("When the presence of U changes, the server MUST deliver to every session S whose scope "
          + "covers U a live event carrying U's latest presence within W plus 25 ms of the change",
          "the latest MUST NOT be");
      case CLEAR -> List.of("When the presence of user U becomes null, every session whose union scope covers U and "
          + "whose view on U is non-null MUST receive");
      case LAST_SESSION_ENDED -> List.of("When a session ends, the server MUST recompute its user's presence "
          + "(PRS-SES-2) and deliver the change");
      case OTHER_SESSION_ENDED -> List.of("This includes a session ending while another session of the same user "
          + "holds a non-null state: subscribers see that other state, not a null.");
      case NEW_SUBSCRIPTION -> List.of("For a new subscription, the server MUST deliver the current non-null presence "
          + "of every user in its scope");
      case TARGET_CHANGE -> List.of("A subscribe with the subscription_id of an existing subscription MUST change that "
          + "subscription's target", "the non-null presence of each user entering its scope");
      case FOLLOW -> List.of("On follow, the server MUST add the user to the session's follow set.",
          "If the session has followed_users subscriptions and the user's presence is non-null, it MUST deliver that "
              + "presence");
      case UNFOLLOW -> List.of("On unfollow, the server MUST remove the user from the follow set.");
    };
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    Judging judging = new Judging(run);
    for (Observation o : run.history()) {
      judging.observe(o);
    }
    return judging.violations;
  }

  /**
   * One pass over a run. A mismatch seen when a step's bound passed is pending: if a later frame resolves it, it is
   * a timing violation by the frame's lateness; if it outlasts the grace period, a timing violation by the whole
   * wait. Only a mismatch the runner never saw unsettled is logical.
   */
  private final class Judging {
    private final RunAnalysis run;
    private final List<Violation> violations = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();
    private final Map<String, Integer> lastChange = new HashMap<>();
    private final Map<String, SessionView> views = new HashMap<>();
    private final Map<String, Mismatch> pending = new HashMap<>();
    private Observation.DeadlinePassed deadline;

    Judging(RunAnalysis run) {
      this.run = run;
    }

    void observe(Observation o) {
      if (o instanceof Observation.Sent s) {
        views.computeIfAbsent(s.session(), k -> new SessionView()).onSent(s.frame());
      } else if (o instanceof Observation.Received r) {
        views.computeIfAbsent(r.session(), k -> new SessionView()).onReceived(r.frame());
        resolvePending(r.nanos());
      } else if (o instanceof Observation.DeadlinePassed d) {
        deadline = d;
        pending.clear();
        for (Mismatch m : mismatches(d.index())) {
          pending.put(m.key(), m);
        }
      } else if (o instanceof Observation.Settled settled) {
        for (Mismatch m : mismatches(settled.index())) {
          if (!reported.add(m.key() + "@" + m.changedAt())) {
            continue;
          }
          violations.add(pending.containsKey(m.key()) && deadline != null && deadline.index() == settled.index()
              ? late(m, settled.nanos(), "still missing when the kit stopped waiting, ")
              : new Violation(requirementId, settled.index(), m.message()));
        }
        pending.clear();
        deadline = null;
      }
    }

    private void resolvePending(long nanos) {
      if (pending.isEmpty()) {
        return;
      }
      Set<String> still = new HashSet<>();
      mismatches(deadline.index()).forEach(m -> still.add(m.key()));
      for (var it = pending.values().iterator(); it.hasNext(); ) {
        Mismatch m = it.next();
        if (!still.contains(m.key())) {
          it.remove();
          if (reported.add(m.key() + "@" + m.changedAt())) {
            violations.add(late(m, nanos, "it arrived late, "));
          }
        }
      }
    }

    private Violation late(Mismatch m, long nanos, String how) {
      long bound = deadline.boundNanos();
      TimingMiss miss = new TimingMiss(nanos - deadline.nanos(), deadline.nanos() - bound, nanos);
      return new Violation(requirementId, deadline.index(), String.format("%s; %s%.1f ms past the bound of %d ms",
          m.message(), how, miss.missNanos() / 1e6, bound / 1_000_000), miss);
    }

    private List<Mismatch> mismatches(int k) {
      recordChanges(run, k, lastChange);
      List<Mismatch> found = new ArrayList<>();
      for (var expectedBySession : expectedSessions(run, k).entrySet()) {
        String session = expectedBySession.getKey();
        SessionView view = views.get(session);
        Map<String, Map<String, Struct>> actual = view == null ? Map.of()
            : SessionViews.byScenarioUser(view.statesBySubscription(), run::scenarioUser);
        found.addAll(compare(run, session, expectedBySession.getValue(), actual, lastChange));
      }
      return found;
    }
  }

  /** A subscription that holds the wrong state for a user, charged to the step that last changed what it owes. */
  private record Mismatch(String key, int changedAt, String message) {}

  private static Map<String, Map<String, Map<String, Struct>>> expectedSessions(RunAnalysis run, int k) {
    Map<String, Map<String, Map<String, Struct>>> all = new HashMap<>();
    for (Step step : run.steps()) {
      if (step instanceof Step.Join join) {
        Map<String, Map<String, Struct>> v = run.expectedViewsAfter(k, join.session());
        if (!v.isEmpty()) {
          all.put(join.session(), v);
        }
      }
    }
    return all;
  }

  private List<Mismatch> compare(RunAnalysis run, String session, Map<String, Map<String, Struct>> expected,
      Map<String, Map<String, Struct>> actual, Map<String, Integer> lastChange) {
    List<Mismatch> found = new ArrayList<>();
    for (var sub : expected.entrySet()) {
      Map<String, Struct> want = sub.getValue();
      Map<String, Struct> got = actual.getOrDefault(sub.getKey(), Map.of());
      Set<String> users = new HashSet<>(want.keySet());
      users.addAll(got.keySet());
      for (String user : users) {
        if (Objects.equals(want.get(user), got.get(user))) {
          continue;
        }
        String key = session + "/" + sub.getKey() + "/" + user;
        Integer changedAt = lastChange.get(key);
        if (changedAt == null || causeOf(run, changedAt, user) != cause) {
          continue;
        }
        found.add(new Mismatch(key, changedAt, String.format(
            "after step %d (%s), subscription %s of %s should hold %s for %s but holds %s",
            changedAt, run.steps().get(changedAt), sub.getKey(), session, describe(want.get(user)), user,
            describe(got.get(user)))));
      }
    }
    return found;
  }

  private static void recordChanges(RunAnalysis run, int k, Map<String, Integer> lastChange) {
    for (Step step : run.steps().subList(0, k + 1)) {
      if (!(step instanceof Step.Join join)) {
        continue;
      }
      Map<String, Map<String, Struct>> before = k == 0 ? Map.of() : run.expectedViewsAfter(k - 1, join.session());
      Map<String, Map<String, Struct>> after = run.expectedViewsAfter(k, join.session());
      Set<String> subs = new HashSet<>(before.keySet());
      subs.addAll(after.keySet());
      for (String sub : subs) {
        Map<String, Struct> b = before.getOrDefault(sub, Map.of());
        Map<String, Struct> a = after.getOrDefault(sub, Map.of());
        Set<String> users = new HashSet<>(b.keySet());
        users.addAll(a.keySet());
        boolean newSubscription = !before.containsKey(sub) || retargeted(run, k, join.session(), sub);
        for (String user : users) {
          if (!Objects.equals(b.get(user), a.get(user)) || (newSubscription && a.containsKey(user))) {
            lastChange.put(join.session() + "/" + sub + "/" + user, k);
          }
        }
      }
    }
  }

  private static boolean retargeted(RunAnalysis run, int k, String session, String sub) {
    return run.steps().get(k) instanceof Step.Subscribe s
        && s.session().equals(session) && s.subscriptionId().equals(sub);
  }

  private static Cause causeOf(RunAnalysis run, int stepIndex, String user) {
    Step step = run.steps().get(stepIndex);
    if (step instanceof Step.Update) {
      return Cause.UPDATE;
    } else if (step instanceof Step.Clear) {
      return Cause.CLEAR;
    } else if (step instanceof Step.End end) {
      String room = run.roomOf(end.session());
      return run.liveSessionsAfter(stepIndex, run.userOf(end.session()), room) > 0
          ? Cause.OTHER_SESSION_ENDED : Cause.LAST_SESSION_ENDED;
    } else if (step instanceof Step.Subscribe s) {
      return isNewSubscription(run, stepIndex, s) ? Cause.NEW_SUBSCRIPTION : Cause.TARGET_CHANGE;
    } else if (step instanceof Step.Follow) {
      return Cause.FOLLOW;
    } else if (step instanceof Step.Unfollow) {
      return Cause.UNFOLLOW;
    }
    return null;
  }

  private static boolean isNewSubscription(RunAnalysis run, int stepIndex, Step.Subscribe s) {
    return stepIndex == 0 || !run.expectedViewsAfter(stepIndex - 1, s.session()).containsKey(s.subscriptionId());
  }

  private static String describe(Struct state) {
    if (state == null) {
      return "nothing";
    }
    ScenarioStates.Origin origin = ScenarioStates.originOf(state);
    return origin == null ? "a state no session sent" : "the state of " + origin;
  }
}
