package dev.presence.bench.suite;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One {@code --merge} run whose points a report still shows: its command, which of its points are still the ones
 * reported, when it ran and on what.
 *
 * @param command the run's command
 * @param points its experiments and systems still reported, such as {@code capacity presence}, in its order
 * @param date when it ran
 * @param environment the machine and versions it ran on
 */
record Merge(String command, List<String> points, String date, Map<String, String> environment) {

  /** @return the points as the report lists them */
  String pointList() {
    return String.join(", ", points);
  }

  /**
   * @param measuredAgain experiments and systems a later run measured
   * @return this merge with those points left out, or null when none of its points is left
   */
  Merge without(Collection<String> measuredAgain) {
    List<String> left = new ArrayList<>(points);
    left.removeAll(measuredAgain);
    return left.isEmpty() ? null : new Merge(command, List.copyOf(left), date, environment);
  }

  /**
   * @param earlier the merges a report showed, oldest first
   * @param measured what a new run measured
   * @return those merges without the points measured again, and without any left with none
   */
  static List<Merge> keptAfter(List<Merge> earlier, Collection<String> measured) {
    List<Merge> kept = new ArrayList<>();
    for (Merge m : earlier) {
      Merge left = m.without(measured);
      if (left != null) {
        kept.add(left);
      }
    }
    return kept;
  }
}
