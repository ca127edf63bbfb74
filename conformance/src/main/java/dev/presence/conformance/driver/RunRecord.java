package dev.presence.conformance.driver;

import dev.presence.conformance.history.Observation;
import dev.presence.conformance.scenario.Scenario;
import java.util.List;
import java.util.Map;

/**
 * Everything a scenario run produced, for the checkers: the scenario, the history, and how scenario names map to
 * wire identifiers.
 *
 * @param scenario the scenario that ran
 * @param history every observation, in order
 * @param wireUserIds scenario user to wire user id, as the server assigned them
 * @param throttleWindowMillis the window the server advertised
 * @param roundTripMillis the median measured ping round trip
 * @param timing the allowances in force
 * @param abortedAt the index of the step the run could not complete, or -1
 * @param abortReason why the run stopped early, or empty
 */
public record RunRecord(
    Scenario scenario,
    List<Observation> history,
    Map<String, String> wireUserIds,
    long throttleWindowMillis,
    long roundTripMillis,
    Timing timing,
    int abortedAt,
    String abortReason) {

  /** Copies the collections. */
  public RunRecord {
    history = List.copyOf(history);
    wireUserIds = Map.copyOf(wireUserIds);
  }

  /** Returns the scenario user with this wire id, or the wire id itself when no scenario user has it. */
  public String scenarioUser(String wireUserId) {
    return wireUserIds.entrySet().stream()
        .filter(e -> e.getValue().equals(wireUserId))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(wireUserId);
  }

  /** Returns the longest a change may take to reach a subscriber: window + 25 ms + round trip + slack. */
  public long deliveryBoundMillis() {
    return throttleWindowMillis + 25 + roundTripMillis + timing.slackMillis();
  }
}
