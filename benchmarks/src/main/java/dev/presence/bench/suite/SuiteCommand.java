package dev.presence.bench.suite;

import dev.presence.bench.driver.SystemUnderTest;
import dev.presence.bench.loadgen.LoadResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The suite: every system, every experiment of a profile, then BENCHMARKS.md, its chart and the raw runs. */
@Command(name = "suite", mixinStandardHelpOptions = true,
    description = "Run the benchmark suite and write the report, chart and raw results.")
public final class SuiteCommand implements Callable<Integer> {
  @Option(names = "--profile", defaultValue = "full", description = "full, quick or smoke. Default: ${DEFAULT-VALUE}.")
  String profileName;

  @Option(names = "--repo", defaultValue = ".", description = "Repository root with built jars. Default: ${DEFAULT-VALUE}.")
  Path repo;

  @Option(names = "--report", defaultValue = "BENCHMARKS.md", description = "Report path. Default: ${DEFAULT-VALUE}.")
  Path report;

  @Option(names = "--results-dir", defaultValue = "benchmarks/results",
      description = "Where the chart and raw runs go. Default: ${DEFAULT-VALUE}.")
  Path resultsDir;

  @Option(names = "--systems", split = ",",
      description = "Systems to run, comma-separated. Default: all.")
  List<String> systems;

  @Option(names = "--experiments", split = ",", completionCandidates = ExperimentNames.class,
      description = "Experiments to run, comma-separated, from: ${COMPLETION-CANDIDATES} (capacity includes the "
          + "overload experiment). Default: all.")
  List<String> experiments;

  @Option(names = "--no-jmh", description = "Skip the JMH micro-benchmarks.")
  boolean noJmh;

  @Option(names = "--merge", description = "Replace only this run's experiments and systems in the report and "
      + "runs.csv, keeping every other point of the earlier run of the same profile that wrote them (and its "
      + "JMH results under --no-jmh).")
  boolean merge;

  @Option(names = "--report-only", description = "Measure nothing: write the report and chart again from the "
      + "results directory's runs.csv and jmh.csv, naming the runs the report named; for a change to the report's "
      + "code.")
  boolean reportOnly;

  @Override
  public Integer call() throws Exception {
    Profile profile = Profile.named(profileName);
    Launches launches = new Launches(repo, profile.referenceServerFlags());
    Pinning pinning = Pinning.detect();
    List<SystemUnderTest> chosen = new ArrayList<>();
    if (systems == null) {
      chosen.addAll(List.of(SystemUnderTest.values()));
    } else {
      systems.forEach(s -> chosen.add(SystemUnderTest.ofLabel(s)));
    }
    String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    EarlierRun earlier = null;
    if (merge || reportOnly) {
      // Read before running, so a wrong profile fails at once rather than after the measurements.
      earlier = EarlierRun.read(report, resultsDir.resolve("runs.csv"));
      if (!earlier.profile().equals(profile.name())) {
        System.out.println((reportOnly ? "--report-only: " : "--merge: ") + report + " was written with profile "
            + earlier.profile() + ", not " + profile.name() + "; tables would mix profiles");
        return 2;
      }
    }
    List<Point> fresh = reportOnly ? List.of() : new SuiteRunner(profile, launches, pinning, System.out,
        Set.copyOf(experiments == null ? SuiteRunner.EXPERIMENTS : experiments)).run(chosen);
    List<Point> points = earlier == null ? fresh : earlier.mergedWith(fresh);

    Files.createDirectories(resultsDir);
    Path chart = resultsDir.resolve("chart.svg");
    BenchmarksReport writer = new BenchmarksReport(points, profile);
    if (reportOnly) {
      writer.rewriting(earlier);
    } else if (earlier != null) {
      writer.mergedInto(earlier, earlier.mergesKeptBeside(fresh));
    }
    Path keptJmh = resultsDir.resolve("jmh.csv");
    if ((noJmh || reportOnly) && earlier != null && Files.exists(keptJmh)) {
      String jmhCommand = String.join(" ", MicroBenchmarks.command(launches, profile, keptJmh.toAbsolutePath()))
          .replace(launches.repo() + "/", "");
      writer.microBenchmarks(MicroBenchmarks.parse(Files.readAllLines(keptJmh, StandardCharsets.UTF_8)), jmhCommand,
          null);
    } else if (!noJmh && !reportOnly) {
      Path jmhCsv = resultsDir.resolve("jmh.csv").toAbsolutePath();
      String jmhCommand = String.join(" ", MicroBenchmarks.command(launches, profile, jmhCsv))
          .replace(launches.repo() + "/", "");
      try {
        System.out.println("== JMH micro-benchmarks");
        writer.microBenchmarks(MicroBenchmarks.run(launches, pinning, profile, jmhCsv), jmhCommand, null);
      } catch (IllegalStateException e) {
        System.out.println(e.getMessage());
        writer.microBenchmarks(List.of(), jmhCommand, e.getMessage());
      }
    }
    Files.writeString(chart, writer.chart(), StandardCharsets.UTF_8);
    if (!reportOnly) {
      Files.writeString(resultsDir.resolve("runs.csv"), csv(points), StandardCharsets.UTF_8);
    }
    Path reportDir = report.toAbsolutePath().getParent();
    String chartLink = reportDir.relativize(chart.toAbsolutePath()).toString();
    String command = "benchmarks/run" + (profile.name().equals("full") ? "" : " --profile " + profile.name())
        + (systems == null ? "" : " --systems " + String.join(",", systems))
        + (experiments == null ? "" : " --experiments " + String.join(",", experiments)) + (merge ? " --merge" : "")
        + (noJmh && earlier == null ? " --no-jmh" : "");
    Files.writeString(report, writer.markdown(Environment.describe(launches, pinning), date, command, launches,
        chartLink), StandardCharsets.UTF_8);
    if (reportOnly) {
      System.out.println("wrote " + report + " and " + chart + " from " + resultsDir.resolve("runs.csv"));
      return 0;
    }
    System.out.println("wrote " + report + ", " + chart + " and " + resultsDir.resolve("runs.csv"));
    long failed = fresh.stream().filter(Point::failed).count();
    if (failed > 0) {
      System.out.println(failed + " point(s) failed; the report says which and why");
    }
    if (profile.name().equals("smoke")) {
      return SmokeCheck.verdict(fresh, System.out);
    }
    return fresh.stream().anyMatch(p -> !p.failed()) ? 0 : 1;
  }

  private static String csv(List<Point> points) {
    Set<String> keys = new LinkedHashSet<>();
    for (Point p : points) {
      for (LoadResult r : p.runs()) {
        keys.addAll(r.values().keySet());
      }
    }
    keys.remove("system");
    StringBuilder csv = new StringBuilder("experiment,system,run,failure," + String.join(",", keys) + "\n");
    for (Point p : points) {
      if (p.runs().isEmpty()) {
        csv.append(p.experiment()).append(',').append(p.system().label()).append(",0,\"")
            .append(String.valueOf(p.failure()).replace("\"", "'")).append('"');
        // N and R of a point that failed before any run, so a later --merge can read it back.
        for (String k : keys) {
          csv.append(',').append(k.equals("rooms") ? Integer.toString(p.rooms())
              : k.equals("users") ? Integer.toString(p.users()) : "");
        }
        csv.append('\n');
      }
      for (int i = 0; i < p.runs().size(); i++) {
        csv.append(p.experiment()).append(',').append(p.system().label()).append(',').append(i + 1).append(',');
        for (String k : keys) {
          String v = p.runs().get(i).text(k);
          csv.append(',').append(v == null ? "" : v);
        }
        csv.append('\n');
      }
    }
    return csv.toString();
  }

  /** The names {@code --experiments} accepts, for its help. */
  static final class ExperimentNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return SuiteRunner.EXPERIMENTS.iterator();
    }
  }
}
