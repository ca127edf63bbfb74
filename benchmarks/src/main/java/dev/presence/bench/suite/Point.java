package dev.presence.bench.suite;

import dev.presence.bench.driver.SystemUnderTest;
import dev.presence.bench.loadgen.LoadResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One point of an experiment, with every run taken and the median of each number across them.
 *
 * @param experiment which experiment it belongs to
 * @param system the system measured
 * @param rooms R
 * @param users N
 * @param runs the runs, in order
 * @param failure why the point has no numbers, or null
 * @param fromEarlierRun read back from an earlier run's raw results, kept in a merged report
 */
record Point(String experiment, SystemUnderTest system, int rooms, int users, List<LoadResult> runs,
    String failure, boolean fromEarlierRun) {

  Point(String experiment, SystemUnderTest system, int rooms, int users, List<LoadResult> runs, String failure) {
    this(experiment, system, rooms, users, runs, failure, false);
  }

  /** @return the experiment and system, such as {@code capacity presence}: what a merged report lists per run */
  String name() {
    return experiment + " " + system.label();
  }

  boolean failed() {
    return failure != null || runs.isEmpty();
  }

  /** @param key a numeric key @return its median across runs, NaN if no run has it */
  double median(String key) {
    double[] values = runs.stream().mapToDouble(r -> r.number(key)).filter(v -> !Double.isNaN(v)).toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(values);
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  /** @param key a numeric key @return its largest value in any run, NaN if no run has it */
  double max(String key) {
    return runs.stream().mapToDouble(r -> r.number(key)).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
  }

  /** @return the spread of a number across runs as (max − min) / median, NaN for a single run */
  double spread(String key) {
    List<Double> values = new ArrayList<>();
    for (LoadResult r : runs) {
      values.add(r.number(key));
    }
    if (values.size() < 2) {
      return Double.NaN;
    }
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    return (max - min) / median(key);
  }

  /** @return the driver faults of every run, as {@code reason:count} pairs; empty when no run counted any */
  List<String> faultReasons() {
    List<String> reasons = new ArrayList<>();
    for (LoadResult r : runs) {
      String text = r.text("fault_reasons");
      if (text != null) {
        reasons.addAll(Arrays.asList(text.split(";")));
      }
    }
    return reasons;
  }

  /** The capacity criterion: p99 at most 100 ms and at least 99% delivered. */
  boolean withinService() {
    return !failed() && median("p99_ms") <= 100 && median("fraction") >= 0.99;
  }

  /** @return whether the load generator, not the server, may have been the limit */
  boolean loadGeneratorBound() {
    return median("loadgen_cpu_util") >= 0.9 || median("send_lag_p99_ms") >= 10;
  }
}
