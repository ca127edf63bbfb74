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
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An earlier run's report header and raw runs, so that a run of one experiment (such as the cluster's, which
 * brings its own single-node reference) can replace its own points in BENCHMARKS.md and keep every other
 * point as that run measured it, rather than mixing systems from two runs within one table.
 *
 * @param command the command of the run that wrote the report first, whose points are all those no merge replaced
 * @param profile its profile's name
 * @param date when it ran
 * @param environment the machine and versions it ran on, as its report listed them
 * @param merges the runs merged into the report since, oldest first, each with the points of it still reported
 * @param points the report's points, as runs.csv kept them
 */
record EarlierRun(String command, String profile, String date, Map<String, String> environment, List<Merge> merges,
    List<Point> points) {
  private static final Pattern HEADER = Pattern.compile("^Written by `([^`]+)` \\(profile `([^`]+)`\\) on ([^.;]+)[.;]");
  private static final Pattern MERGE = Pattern.compile("the points of `([^`]+)` \\(([^)]*)\\) replaced [^;.]*? on ([^;.]+)");
  private static final String FIRST_RUN_TABLE = "The earlier run:";
  private static final Pattern MERGE_TABLE = Pattern.compile("^The points of `[^`]+` \\([^)]*\\):$");

  /**
   * @param report the earlier BENCHMARKS.md
   * @param runsCsv its runs.csv
   * @throws IllegalStateException when either is missing or not the suite's
   */
  static EarlierRun read(Path report, Path runsCsv) throws IOException {
    if (!Files.exists(report) || !Files.exists(runsCsv)) {
      throw new IllegalStateException("nothing to merge into: " + report + " and " + runsCsv + " must both exist");
    }
    List<String> lines = Files.readAllLines(report, StandardCharsets.UTF_8);
    return header(lines, parse(Files.readAllLines(runsCsv, StandardCharsets.UTF_8)))
        .orElseThrow(() -> new IllegalStateException(report + " has no 'Written by' line of the suite"));
  }

  /**
   * @param reportLines an earlier BENCHMARKS.md
   * @param points its points
   * @return who wrote it and what was merged into it since, with its points, if it is the suite's
   */
  static Optional<EarlierRun> header(List<String> reportLines, List<Point> points) {
    for (String line : reportLines) {
      Matcher m = HEADER.matcher(line);
      if (m.find()) {
        List<Map<String, String>> tables = environments(reportLines);
        List<Merge> merges = new ArrayList<>();
        Matcher merge = MERGE.matcher(line);
        while (merge.find()) {
          int table = merges.size() + 1;
          merges.add(new Merge(merge.group(1), List.of(merge.group(2).split(", ")), merge.group(3).trim(),
              table < tables.size() ? tables.get(table) : Map.of()));
        }
        return Optional.of(new EarlierRun(m.group(1), m.group(2), m.group(3).trim(),
            tables.isEmpty() ? Map.of() : tables.get(0), List.copyOf(merges), points));
      }
    }
    return Optional.empty();
  }

  /**
   * @return the tables of the report's "Machine and versions" section, in order: the first run's, then each merged
   *     run's
   */
  static List<Map<String, String>> environments(List<String> reportLines) {
    List<Map<String, String>> tables = new ArrayList<>();
    Map<String, String> rows = null;
    boolean inSection = false;
    for (String line : reportLines) {
      if (line.startsWith("## ")) {
        inSection = line.equals("## Machine and versions");
        rows = null;
        continue;
      }
      if (!inSection) {
        continue;
      }
      if (line.equals(FIRST_RUN_TABLE) || MERGE_TABLE.matcher(line).matches()) {
        rows = null;
      } else if (line.startsWith("| ") && !line.startsWith("| |")) {
        String[] cells = line.substring(2, line.length() - 2).split(" \\| ", 2);
        if (cells.length == 2) {
          if (rows == null) {
            rows = new LinkedHashMap<>();
            tables.add(rows);
          }
          rows.put(cells[0], cells[1]);
        }
      }
    }
    return tables;
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
    Set<String> measured = measured(fresh);
    List<Point> merged = new ArrayList<>();
    for (Point p : points) {
      if (!measured.contains(p.name())) {
        merged.add(p);
      }
    }
    merged.addAll(fresh);
    return merged;
  }

  /**
   * @param fresh a new run's points
   * @return the merges whose points are still reported once the new run's replaced theirs
   */
  List<Merge> mergesKeptBeside(List<Point> fresh) {
    return Merge.keptAfter(merges, measured(fresh));
  }

  private static Set<String> measured(List<Point> fresh) {
    Set<String> measured = new java.util.HashSet<>();
    fresh.forEach(p -> measured.add(p.name()));
    return measured;
  }
}
