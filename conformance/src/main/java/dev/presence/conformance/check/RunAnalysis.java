package dev.presence.conformance.check;

import com.google.protobuf.Struct;
import dev.presence.conformance.driver.RunRecord;
import dev.presence.conformance.history.Observation;
import dev.presence.conformance.model.PresenceModel;
import dev.presence.conformance.scenario.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link RunRecord} with the model replayed alongside it: for every step, what the model expects after it, and
 * for every observation, the step during whose interval it happened. Built once per run and shared by all
 * checkers; immutable.
 */
public final class RunAnalysis {

  private final RunRecord run;
  private final List<Observation> history;
  private final List<Step> steps;
  private final List<Map<String, Set<String>>> scopeAfterStep = new ArrayList<>();
  private final List<Map<String, Set<String>>> departedAfterStep = new ArrayList<>();
  private final List<Map<String, Map<String, Map<String, Struct>>>> viewsAfterStep = new ArrayList<>();
  private final List<Map<String, Long>> liveSessionsAfterStep = new ArrayList<>();
  private final int[] stepOf;
  private final Map<String, String> userOfSession = new HashMap<>();
  private final Map<String, String> roomOfSession = new HashMap<>();
  private final Map<String, Set<String>> usersEverInRoom = new HashMap<>();

  /**
   * Replays the model over the run's scenario.
   *
   * @param run the record
   */
  public RunAnalysis(RunRecord run) {
    this.run = run;
    this.history = judgedHistory(run);
    this.steps = executedSteps(run);
    PresenceModel model = new PresenceModel();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      model.apply(i, step);
      if (step instanceof Step.Join join) {
        userOfSession.put(join.session(), join.user());
        roomOfSession.put(join.session(), join.room());
        usersEverInRoom.computeIfAbsent(join.room(), r -> new HashSet<>()).add(join.user());
      }
      Map<String, Set<String>> scopes = new HashMap<>();
      Map<String, Set<String>> departed = new HashMap<>();
      Map<String, Map<String, Map<String, Struct>>> views = new HashMap<>();
      Map<String, Long> live = new HashMap<>();
      for (String session : model.sessions()) {
        scopes.put(session, Set.copyOf(model.unionScope(session)));
        departed.put(session, model.departedInScope(session));
        if (model.live(session)) {
          views.put(session, model.expectedViews(session));
        }
        String key = model.userOf(session) + "@" + model.roomOf(session);
        live.merge(key, model.live(session) ? 1L : 0L, Long::sum);
      }
      scopeAfterStep.add(scopes);
      departedAfterStep.add(departed);
      viewsAfterStep.add(views);
      liveSessionsAfterStep.add(live);
    }
    stepOf = new int[history.size()];
    int current = -1;
    for (int i = 0; i < stepOf.length; i++) {
      if (history.get(i) instanceof Observation.StepStarted started) {
        current = started.index();
      }
      stepOf[i] = current;
    }
  }

  /**
   * The observations up to the start of the step a run stopped at, or all of them. The model never applies a step
   * the run could not complete, so what its sessions received meanwhile has nothing to be judged against: a
   * snapshot answering a subscribe the kit gave up waiting for would otherwise count as an event out of scope.
   */
  private static List<Observation> judgedHistory(RunRecord run) {
    List<Observation> all = run.history();
    if (run.abortedAt() >= 0) {
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i) instanceof Observation.StepStarted started && started.index() == run.abortedAt()) {
          return all.subList(0, i);
        }
      }
    }
    return all;
  }

  private static List<Step> executedSteps(RunRecord run) {
    List<Step> all = run.scenario().steps();
    return run.abortedAt() < 0 ? all : all.subList(0, run.abortedAt());
  }

  /** Returns the record. */
  public RunRecord run() {
    return run;
  }

  /** Returns the steps whose effects the model applied: all of them, or those before an abort. */
  public List<Step> steps() {
    return Collections.unmodifiableList(steps);
  }

  /**
   * Returns the request whose answer never came, if that is why the run stopped. It happened during the stopped
   * step, so {@link #history()} leaves it out.
   */
  public Optional<Observation.Unanswered> unanswered() {
    if (run.abortedAt() < 0) {
      return Optional.empty();
    }
    List<Observation> all = run.history();
    for (int i = all.size() - 1; i >= history.size(); i--) {
      if (all.get(i) instanceof Observation.Unanswered u) {
        return Optional.of(u);
      }
    }
    return Optional.empty();
  }

  /** Returns the observations before the step the run stopped at, if it stopped, in order. */
  public List<Observation> history() {
    return history;
  }

  /** Returns the index of the step during whose interval observation {@code position} happened, or -1. */
  public int stepAt(int position) {
    return stepOf[position];
  }

  /** Returns the union scope (scenario users) of a session after a step, or empty before the session joined. */
  public Set<String> scopeAfter(int stepIndex, String session) {
    if (stepIndex < 0 || stepIndex >= scopeAfterStep.size()) {
      return Set.of();
    }
    return scopeAfterStep.get(stepIndex).getOrDefault(session, Set.of());
  }

  /**
   * Returns the departed users (SPEC.md section 1.2) still in a session's scope after a step, as far as steps
   * decide it: a null about them may still be owed, unless it was delivered since.
   */
  public Set<String> departedAfter(int stepIndex, String session) {
    if (stepIndex < 0 || stepIndex >= departedAfterStep.size()) {
      return Set.of();
    }
    return departedAfterStep.get(stepIndex).getOrDefault(session, Set.of());
  }

  /** Returns the expected views of a session after a step; empty when it is not live then. */
  public Map<String, Map<String, Struct>> expectedViewsAfter(int stepIndex, String session) {
    return viewsAfterStep.get(stepIndex).getOrDefault(session, Map.of());
  }

  /** Returns how many live sessions a scenario user has in a room after a step. */
  public long liveSessionsAfter(int stepIndex, String user, String room) {
    if (stepIndex < 0) {
      return 0;
    }
    return liveSessionsAfterStep.get(Math.min(stepIndex, steps.size() - 1)).getOrDefault(user + "@" + room, 0L);
  }

  /** Returns the scenario user of a session. */
  public String userOf(String session) {
    return userOfSession.get(session);
  }

  /** Returns the scenario room of a session. */
  public String roomOf(String session) {
    return roomOfSession.get(session);
  }

  /** Returns whether a scenario user ever had a session in a room. */
  public boolean everIn(String user, String room) {
    return usersEverInRoom.getOrDefault(room, Set.of()).contains(user);
  }

  /** Maps a wire user id to its scenario name. */
  public String scenarioUser(String wireUserId) {
    return run.scenarioUser(wireUserId);
  }
}
