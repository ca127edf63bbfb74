package dev.presence.bench.suite;

import dev.presence.bench.driver.SystemUnderTest;
import dev.presence.bench.loadgen.LoadResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An earlier run's report header and raw runs, so that a run of one experiment (such as the cluster's, which
 * brings its own single-node reference) can replace its own points in BENCHMARKS.md and keep every other
 * point as that run measured it, rather than mixing systems from two runs within one table.
 *
 * @param command the earlier run's command
 * @param profile its profile's name
 * @param date when it ran
 * @param environment the machine and versions it ran on, as its report listed them
 * @param points its points, as runs.csv kept them
 */
record EarlierRun(String command, String profile, String date, Map<String, String> environment, List<Point> points) {
  private static final Pattern HEADER = Pattern.compile("^Written by `([^`]+)` \\(profile `([^`]+)`\\) on ([^.;]+)[.;]");

  /**
   * @param report the earlier BENCHMARKS.md
   * @param runsCsv its runs.csv
   * @throws IllegalStateException when either is missing or not the suite's
   */
  static EarlierRun read(Path report, Path runsCsv) throws IOException {
    if (!Files.exists(report) || !Files.exists(runsCsv)) {
      throw new IllegalStateException("nothing to merge into: " + report + " and " + runsCsv + " must both exist");
    }
    Matcher m = null;
    List<String> lines = Files.readAllLines(report, StandardCharsets.UTF_8);
    for (String line : lines) {
      Matcher candidate = HEADER.matcher(line);
      if (candidate.find()) {
        m = candidate;
        break;
      }
    }
    if (m == null) {
      throw new IllegalStateException(report + " has no 'Written by' line of the suite");
    }
    return new EarlierRun(m.group(1), m.group(2), m.group(3).trim(), environment(lines),
        parse(Files.readAllLines(runsCsv, StandardCharsets.UTF_8)));
  }

  /** @return the rows of the report's "Machine and versions" table */
  static Map<String, String> environment(List<String> reportLines) {
    Map<String, String> rows = new LinkedHashMap<>();
    boolean inSection = false;
    for (String line : reportLines) {
      if (line.startsWith("## ")) {
        inSection = line.equals("## Machine and versions");
        continue;
      }
      if (inSection && line.startsWith("| ") && !line.startsWith("| |")) {
        String[] cells = line.substring(2, line.length() - 2).split(" \\| ", 2);
        if (cells.length == 2) {
          rows.put(cells[0], cells[1]);
        }
      }
    }
    return rows;
  }

  /**
   * Rows of one point follow each other, numbered from run 1; a row numbered 0 is a point that failed before
   * any run. A point that failed after some runs comes back with those runs and without its reason, which
   * runs.csv does not keep for it.
   */
  static List<Point> parse(List<String> lines) {
    List<Point> points = new ArrayList<>();
    if (lines.isEmpty()) {
      return points;
    }
    List<String> header = MicroBenchmarks.split(lines.get(0));
    String experiment = null;
    SystemUnderTest system = null;
    List<LoadResult> runs = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      List<String> cells = MicroBenchmarks.split(line);
      LoadResult r = LoadResult.empty();
      for (int i = 4; i < cells.size() && i < header.size(); i++) {
        if (!cells.get(i).isEmpty()) {
          r.put(header.get(i), cells.get(i));
        }
      }
      int run = Integer.parseInt(cells.get(2));
      if (run <= 1 && experiment != null) {
        points.add(point(experiment, system, runs, null));
        runs = new ArrayList<>();
        experiment = null;
      }
      if (run == 0) {
        points.add(new Point(cells.get(0), SystemUnderTest.ofLabel(cells.get(1)), (int) orZero(r, "rooms"),
            (int) orZero(r, "users"), List.of(), cells.get(3), true));
        continue;
      }
      experiment = cells.get(0);
      system = SystemUnderTest.ofLabel(cells.get(1));
      runs.add(r);
    }
    if (experiment != null) {
      points.add(point(experiment, system, runs, null));
    }
    return points;
  }

  private static Point point(String experiment, SystemUnderTest system, List<LoadResult> runs, String failure) {
    LoadResult first = runs.get(0);
    return new Point(experiment, system, (int) orZero(first, "rooms"), (int) orZero(first, "users"),
        List.copyOf(runs), failure, true);
  }

  private static double orZero(LoadResult r, String key) {
    double v = r.number(key);
    return Double.isNaN(v) ? 0 : v;
  }

  /**
   * @param fresh this run's points
   * @return the earlier points this run did not measure again (same experiment and system), then this run's
   */
  List<Point> mergedWith(List<Point> fresh) {
    Set<String> measured = new java.util.HashSet<>();
    fresh.forEach(p -> measured.add(p.experiment() + " " + p.system().label()));
    List<Point> merged = new ArrayList<>();
    for (Point p : points) {
      if (!measured.contains(p.experiment() + " " + p.system().label())) {
        merged.add(p);
      }
    }
    merged.addAll(fresh);
    return merged;
  }
}
