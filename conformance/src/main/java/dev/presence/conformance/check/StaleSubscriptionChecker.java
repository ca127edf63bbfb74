package dev.presence.conformance.check;

import com.google.protobuf.Struct;
import dev.presence.conformance.driver.SessionViews;
import dev.presence.conformance.history.Observation;
import dev.presence.conformance.model.SessionView;
import dev.presence.conformance.scenario.ScenarioStates;
import dev.presence.conformance.scenario.Step;
import dev.presence.conformance.noise.TimingMiss;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PRS-EVT-7, the part a server must keep: once a step has settled, no subscription keeps an older state of a user
 * while another subscription of the same session holds the user's presence. A tagged state that did not name every
 * covering subscription leaves the view undetermined (SPEC.md section 1.2), and the next live event must reach
 * the subscriptions it did not name; a server that suppressed that event as a repeat leaves one of them stale.
 *
 * <p>The rule's SHOULD, not to repeat a live state equal to a determined view, is not judged: a repeat costs a
 * frame, never correctness, and a server must repeat whenever the view is undetermined.
 */
public final class StaleSubscriptionChecker implements Checker {

  @Override
  public String requirementId() {
    return "PRS-EVT-7";
  }

  @Override
  public List<String> clauses() {
    return List.of("MUST NOT suppress one because of an undetermined view",
        "a subscription whose snapshot carried a newer state than another subscription of the same session holds "
            + "never keeps the older one");
  }

  @Override
  public List<Violation> check(RunAnalysis run) {
    List<Violation> violations = new ArrayList<>();
    Set<String> reported = new HashSet<>();
    Map<String, SessionView> views = new HashMap<>();
    Observation.DeadlinePassed deadline = null;
    for (Observation o : run.history()) {
      if (o instanceof Observation.DeadlinePassed d) {
        deadline = d;
      }
      if (o instanceof Observation.Sent s) {
        views.computeIfAbsent(s.session(), k -> new SessionView()).onSent(s.frame());
      } else if (o instanceof Observation.Received r) {
        views.computeIfAbsent(r.session(), k -> new SessionView()).onReceived(r.frame());
      } else if (o instanceof Observation.Settled settled) {
        for (Step step : run.steps()) {
          if (step instanceof Step.Join join && views.containsKey(join.session())) {
            Map<String, Map<String, Struct>> actual = SessionViews.byScenarioUser(
                views.get(join.session()).statesBySubscription(), run::scenarioUser);
            judge(settled.index(), join.session(), run.expectedViewsAfter(settled.index(), join.session()), actual,
                reported, violations, stillMissing(deadline, settled));
          }
        }
      }
    }
    return violations;
  }

  private void judge(int step, String session, Map<String, Map<String, Struct>> expected,
      Map<String, Map<String, Struct>> actual, Set<String> reported, List<Violation> violations,
      TimingMiss timing) {
    for (var sub : expected.entrySet()) {
      for (var want : sub.getValue().entrySet()) {
        String user = want.getKey();
        Struct held = actual.getOrDefault(sub.getKey(), Map.of()).get(user);
        if (held == null || held.equals(want.getValue()) || !heldByAnother(expected, actual, sub.getKey(), user)
            || !reported.add(session + "/" + sub.getKey() + "/" + user + "/" + ScenarioStates.originOf(held))) {
          continue;
        }
        violations.add(new Violation(requirementId(), step, String.format(
            "subscription %s of %s keeps the state of %s for %s while another subscription of the session holds "
                + "the newer state of %s",
            sub.getKey(), session, ScenarioStates.originOf(held), user, ScenarioStates.originOf(want.getValue())),
            timing));
      }
    }
  }

  /**
   * A stale view the runner saw unsettled past the step's bound may still be on its way; the miss is the whole
   * wait, for the suite to weigh against its noise.
   */
  private static TimingMiss stillMissing(Observation.DeadlinePassed deadline, Observation.Settled settled) {
    if (deadline == null || deadline.index() != settled.index()) {
      return null;
    }
    return new TimingMiss(settled.nanos() - deadline.nanos(), deadline.nanos() - deadline.boundNanos(),
        settled.nanos());
  }

  private static boolean heldByAnother(Map<String, Map<String, Struct>> expected,
      Map<String, Map<String, Struct>> actual, String subscription, String user) {
    for (var other : expected.entrySet()) {
      Struct want = other.getValue().get(user);
      if (!other.getKey().equals(subscription) && want != null
          && want.equals(actual.getOrDefault(other.getKey(), Map.of()).get(user))) {
        return true;
      }
    }
    return false;
  }
}
