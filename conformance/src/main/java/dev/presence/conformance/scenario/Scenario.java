package dev.presence.conformance.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A sequence of steps that is always executable: every step acts on a session that is open at that point, and no
 * session holds more subscriptions than {@link #MAX_SUBSCRIPTIONS_PER_SESSION}.
 *
 * @param steps the steps, in order
 */
public record Scenario(List<Step> steps) implements Replayable {

  /** Stays within the smallest {@code max_subscriptions} SPEC.md PRS-LIM-2 allows. */
  public static final int MAX_SUBSCRIPTIONS_PER_SESSION = 4;

  /** Copies the steps and rejects a sequence that is not executable. */
  public Scenario {
    steps = List.copyOf(steps);
    List<Step> executable = executablePrefixFilter(steps);
    if (!executable.equals(steps)) {
      throw new IllegalArgumentException("scenario has steps that cannot execute: " + steps);
    }
  }

  /**
   * Returns the executable scenario made of the given steps minus those that cannot execute in that order (for
   * example after the join of their session was removed by shrinking).
   *
   * @param steps candidate steps
   * @return the scenario of the executable ones
   */
  public static Scenario repaired(List<Step> steps) {
    return new Scenario(executablePrefixFilter(steps));
  }

  @Override
  public String mode() {
    return "server";
  }

  @Override
  public com.google.protobuf.Struct encode() {
    return ScenarioCodec.encode(this);
  }

  /** Returns the scenario as numbered lines, the form printed in reports and replay files. */
  @Override
  public String describe() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < steps.size(); i++) {
      out.append(String.format("%3d. %s%n", i, steps.get(i)));
    }
    return out.toString();
  }

  /** Returns the number of distinct sessions the scenario opens. */
  public int sessionCount() {
    return (int) steps.stream().filter(Step.Join.class::isInstance).count();
  }

  @Override
  public String toString() {
    return steps.stream().map(Step::toString).collect(Collectors.joining("; ", "[", "]"));
  }

  private static List<Step> executablePrefixFilter(List<Step> steps) {
    Set<String> used = new HashSet<>();
    Set<String> open = new HashSet<>();
    Map<String, Set<String>> subscriptions = new HashMap<>();
    List<Step> kept = new ArrayList<>();
    for (Step step : steps) {
      if (step instanceof Step.Join join) {
        if (used.add(join.session())) {
          open.add(join.session());
          subscriptions.put(join.session(), new HashSet<>());
          kept.add(step);
        }
        continue;
      }
      if (!open.contains(step.session())) {
        continue;
      }
      Set<String> subs = subscriptions.get(step.session());
      if (step instanceof Step.Subscribe s) {
        if (subs.contains(s.subscriptionId()) || subs.size() < MAX_SUBSCRIPTIONS_PER_SESSION) {
          subs.add(s.subscriptionId());
          kept.add(step);
        }
      } else if (step instanceof Step.Unsubscribe u) {
        if (subs.remove(u.subscriptionId())) {
          kept.add(step);
        }
      } else {
        if (step instanceof Step.End) {
          open.remove(step.session());
        }
        kept.add(step);
      }
    }
    return List.copyOf(kept);
  }
}
