package dev.presence.bench.suite;

import dev.presence.bench.driver.SystemUnderTest;
import dev.presence.bench.report.LineChart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Writes BENCHMARKS.md from a suite's points: targets first, then every table the targets rest on. */
final class BenchmarksReport {
  private static final SystemUnderTest US = SystemUnderTest.PRESENCE;
  private static final SystemUnderTest US_WS = SystemUnderTest.PRESENCE_WS;
  private static final SystemUnderTest COALESCED = SystemUnderTest.RELAY_COALESCED;
  private static final List<SystemUnderTest> NODE_PEERS = List.of(SystemUnderTest.Y_WEBSOCKET, SystemUnderTest.SOCKET_IO);

  private final List<Point> points;
  private final Profile profile;
  private final StringBuilder md = new StringBuilder();
  private final StringBuilder jmh = new StringBuilder();
  private String firstCommand;
  private String firstDate;
  private Map<String, String> firstEnvironment;
  private List<Merge> earlierMerges = List.of();
  private boolean rewriting;

  BenchmarksReport(List<Point> points, Profile profile) {
    this.points = points;
    this.profile = profile;
  }

  /**
   * Says that the report merges this run's points into an earlier report, whose first run and earlier merges
   * measured the rest.
   *
   * @param earlier the earlier report's first run and points
   * @param keptMerges the earlier merges that still have points in the report, oldest first
   */
  BenchmarksReport mergedInto(EarlierRun earlier, List<Merge> keptMerges) {
    this.firstCommand = earlier.command();
    this.firstDate = earlier.date();
    this.firstEnvironment = earlier.environment();
    this.earlierMerges = List.copyOf(keptMerges);
    return this;
  }

  /**
   * Says that the report is an earlier report written again from its own points, with its runs as it named them.
   *
   * @param earlier the earlier report's runs and points
   */
  BenchmarksReport rewriting(EarlierRun earlier) {
    mergedInto(earlier, earlier.merges());
    rewriting = true;
    return this;
  }

  String markdown(Map<String, String> environment, String date, String suiteCommand, Launches launches,
      String chartFile) {
    line("# Benchmarks");
    line("");
    Map<String, String> here = new LinkedHashMap<>(environment);
    here.put("Date", date);
    List<Merge> merges = firstCommand == null ? List.of() : merges(date, suiteCommand, here);
    String firstRun = firstCommand == null ? suiteCommand : firstCommand;
    String firstRunDate = firstCommand == null ? date : firstDate;
    StringBuilder header = new StringBuilder("Written by `" + firstRun + "` (profile `" + profile.name() + "`) on "
        + firstRunDate);
    if (merges.isEmpty()) {
      line(header + ". Every number below comes from that one run on one machine; re-run the command rather than edit this file.");
    } else {
      for (Merge m : merges) {
        header.append("; the points of `").append(m.command()).append("` (").append(m.pointList())
            .append(") replaced the earlier ones on ").append(m.date());
      }
      line(header + ". Each table's numbers come from one run on one machine, and every ratio compares systems measured in the same run; re-run the commands rather than edit this file.");
    }
    line("");
    targets();
    line("## Machine and versions");
    line("");
    if (merges.isEmpty()) {
      environmentTable(firstCommand == null ? here : firstEnvironment);
    } else {
      line("The earlier run:");
      line("");
      environmentTable(firstEnvironment);
      for (Merge m : merges) {
        line("The points of `" + m.command() + "` (" + m.pointList() + "):");
        line("");
        environmentTable(m.environment());
      }
    }
    commands(launches);
    matrix(chartFile);
    experimentTable("scale", "## Many small rooms",
        "Rooms of 5 at 20 Hz, " + profile.scaleSessions() + " sessions in all.");
    capacity();
    overload();
    coldStart();
    quietRoom();
    deoptimizations();
    cluster(launches);
    memory();
    md.append(jmh);
    faults();
    definitions();
    return md.toString();
  }

  /** Adds the micro-benchmark section: the server's hot path measured in isolation. */
  void microBenchmarks(List<String[]> rows, String command, String failure) {
    jmh.append("## Micro-benchmarks of the hot path (JMH)\n\n");
    jmh.append("The server's fan-out classes measured in isolation: coalescing, batch encoding and filtering. From the repository root:\n\n");
    jmh.append("```\n").append(command).append("\n```\n\n");
    if (failure != null) {
      jmh.append("Not measured: ").append(failure).append("\n\n");
      return;
    }
    jmh.append("| Benchmark | Parameters | Score | Error (99.9%) | Unit |\n|---|---|---|---|---|\n");
    for (String[] r : rows) {
      jmh.append("| ").append(r[0]).append(" | ").append(r[1]).append(" | ").append(significant(r[2]))
          .append(" | ").append(significant(r[3])).append(" | ").append(r[4]).append(" |\n");
    }
    jmh.append("\n");
  }

  private void targets() {
    line("## Targets");
    line("");
    line("| Target | Measured | Verdict |");
    line("|---|---|---|");
    for (int n : profile.roomSizes()) {
      Optional<Double> ratio = ratio("matrix", n, US, COALESCED, "server_cpu_us_per_delivery");
      target("Server CPU per delivery at N = " + n + " at most 1.3x the coalesced ceiling relay",
          ratio.map(r -> fmt("%.2fx the coalesced relay", r)).orElse("not measured"), ratio.map(r -> r <= 1.3));
    }
    for (int n : profile.capacityRoomSizes()) {
      Optional<Double> ours = capacityOf(US, n);
      Optional<Double> relay = capacityOf(COALESCED, n);
      Optional<Double> ratio = ours.flatMap(o -> relay.map(c -> o / c));
      boolean oursExact = bracketed(US, n);
      boolean relayExact = bracketed(COALESCED, n);
      String measured = ratio.map(r -> fmt("%.2fx (%s vs %s deliveries/s%s)%s", r, count(ours.get()), count(relay.get()),
          coreShareOf(US, n).equals(coreShareOf(COALESCED, n)) ? " on " + coreShareOf(US, n)
              : "; presence on " + coreShareOf(US, n) + ", relay on " + coreShareOf(COALESCED, n),
          oursExact && relayExact ? "" : fmt("; search ended by presence: %s, relay: %s", searchEnd(US, n), searchEnd(COALESCED, n))))
          .orElse("not measured");
      // A lower bound on ours can only prove the target met, a lower bound on the relay's only missed.
      String verdict = ratio.map(r -> r >= 0.8 ? (relayExact ? "met" : "inconclusive: the relay's capacity is a lower bound")
          : (oursExact ? "**MISSED**" : "inconclusive: presence's capacity is a lower bound")).orElse("not measured");
      line("| Capacity at N = " + n + " at least 0.8x the coalesced relay's, each bracketed within 10% | " + measured + " | " + verdict + " |");
    }
    coldStartTarget();
    quietRoomTargets();
    overloadComparisons();
    deoptimizationComparison();
    for (int n : profile.roomSizes()) {
      Optional<Double> ratio = bestNodePeerCpu(n).flatMap(b -> cpu(US, n).map(o -> b / o));
      target("CPU per delivery at N = " + n + " at least 5x lower than the best Node peer",
          ratio.map(r -> fmt("%.1fx lower", r)).orElse("not measured"), ratio.map(r -> r >= 5));
    }
    bindingComparisons();
    find("idle", US, SuiteRunner.IDLE_ROOM_SIZE).filter(p -> !p.failed()).ifPresentOrElse(p -> {
      double kib = p.median("idle_kib_per_session");
      target("At most 25 KiB RSS per idle session at " + count(p.median("sessions")) + " sessions",
          fmt("%.1f KiB (%.1f KB)", kib, kib * 1.024), Optional.of(kib <= 25));
    }, () -> target("At most 25 KiB RSS per idle session", "not measured", Optional.empty()));
    find("stall", US, SuiteRunner.STALL_ROOM_SIZE).filter(p -> !p.failed()).ifPresentOrElse(p -> {
      double[] growth = growth(p);
      target("A subscriber that stops reading for " + profile.stallMillis() / 1000
              + " s in a 100-user room leaves server memory flat",
          fmt("RSS %+.1f MiB over the window; %+.1f MiB over its second half", growth[0] / 1024, growth[1] / 1024),
          Optional.of(Math.abs(growth[1]) <= 16 * 1024));
    }, () -> target("A stalled subscriber leaves server memory flat", "not measured", Optional.empty()));
    line("");
    line("A target marked MISSED is reported as measured; the harness is not tuned to meet it.");
    line("");
  }

  /**
   * The WebSocket binding against the gRPC binding and against the Node peers, which are WebSocket servers
   * too; no target is set for these, so they are reported as measured comparisons.
   */
  private void bindingComparisons() {
    if (find("matrix", US_WS, 50).isEmpty() && find("matrix", US_WS, 100).isEmpty()) {
      return;
    }
    for (int n : List.of(50, 100)) {
      Optional<Point> ws = find("matrix", US_WS, n).filter(p -> !p.failed());
      String note = ws.map(BenchmarksReport::deliveredNote).orElse("");
      Optional<Double> vsGrpc = ratio("matrix", n, US_WS, US, "server_cpu_us_per_delivery");
      comparison("WebSocket binding: CPU per delivery at N = " + n + " against the gRPC binding",
          vsGrpc.map(r -> fmt("%.2fx the gRPC binding (%.3f vs %.3f µs)%s", r, cpu(US_WS, n).get(), cpu(US, n).get(), note))
              .orElse("not measured"));
      Optional<Double> vsPeers = bestNodePeerCpu(n).flatMap(b -> cpu(US_WS, n).map(o -> b / o));
      comparison("WebSocket binding: CPU per delivery at N = " + n + " against the best Node peer",
          vsPeers.map(r -> fmt("%.1fx lower%s", r, note)).orElse("not measured"));
    }
  }

  /** @return the median CPU per delivery of a system's matrix point at N, if it has numbers */
  private Optional<Double> cpu(SystemUnderTest s, int n) {
    return find("matrix", s, n).filter(p -> !p.failed()).map(p -> p.median("server_cpu_us_per_delivery"))
        .filter(v -> !Double.isNaN(v));
  }

  /** @return the lowest CPU per delivery of the Node peers at N, whatever share of states they delivered */
  private Optional<Double> bestNodePeerCpu(int n) {
    return NODE_PEERS.stream().map(p -> cpu(p, n)).flatMap(Optional::stream).min(Double::compare);
  }

  /** @return empty when the point delivered at least 99% of states, else the share it did deliver */
  private static String deliveredNote(Point p) {
    double fraction = p.median("fraction");
    return fraction >= 0.99 ? "" : fmt("; %s delivered %.2f%% of states", p.system().label(), 100 * fraction);
  }

  private static double[] growth(Point p) {
    String series = p.runs().get(0).text("rss_series_kib");
    if (series == null) {
      return new double[] {Double.NaN, Double.NaN};
    }
    String[] s = series.split(";");
    double first = Double.parseDouble(s[0]);
    double mid = Double.parseDouble(s[s.length / 2]);
    double last = Double.parseDouble(s[s.length - 1]);
    return new double[] {last - first, last - mid};
  }

  private void target(String what, String measured, Optional<Boolean> met) {
    line("| " + what + " | " + measured + " | " + met.map(m -> m ? "met" : "**MISSED**").orElse("not measured") + " |");
  }

  private void comparison(String what, String measured) {
    line("| " + what + " | " + measured + " | no target; measured |");
  }

  private void commands(Launches launches) {
    line("## Commands");
    line("");
    line("Every server is pinned to the server core. For the room-size matrix all of them run side by side and take turns, one run each per round, so a change in the machine's speed during the suite falls on every system alike; before each run every server must be quiet (under 10% of a core), so none is measured next to another's backlog. The other experiments load one server at a time, and the memory experiments start each server alone. The load generator is one separate, long-lived process pinned to the other core, so its JIT compiles once rather than inside measured windows; each run opens fresh connections, in rooms no other run uses. The reference server serves both presence.v1 bindings from one process, gRPC on `--port` (presence) and WebSocket on `--ws-port` (presence-ws), so the two are one server in one configuration, measured in turns. From the repository root:");
    line("");
    line("```");
    for (SystemUnderTest s : SystemUnderTest.values()) {
      if (s != SystemUnderTest.PRESENCE_CLUSTER && Launches.servedTogether(s).get(0) == s) {
        line(String.join(" ", launches.server(s, x -> "<free port>")));
      }
    }
    line(String.join(" ", launches.loadGenerator()));
    line("  # then one line per run on its stdin:");
    line("  --system <system> --port <port> --server-pid <pid> --rooms R --users N --rate-hz 20 --warmup-millis "
        + profile.warmupMillis() + " --measure-millis " + profile.measureMillis() + " --seed <run>");
    line("```");
    line("");
    line("Each room-size point is the median of " + profile.runsPerPoint() + " runs (each number separately; the spread column shows how far the runs were apart); "
        + "capacity steps, the many-small-rooms point and the memory experiments are one run each. A server warms up under load before its first point"
        + (profile.serverWarmup() ? ", and every system runs again, unrecorded, at each room size before that size's measured runs: "
            + "each size makes other code paths hot, and a JIT compiling them would charge its work to the size's first runs. "
            + fmt("A JVM server runs again while its compiler threads took more than %.0f%% of its CPU, up to %d runs; a Node server runs once.",
                100 * SuiteRunner.WARM_JIT_SHARE, SuiteRunner.MAX_WARMUP_RUNS_PER_SIZE) : ".")
        + " *JIT CPU* is the share of a JVM server's CPU in the measured window that its compiler threads spent (– for Node servers, whose compiling is not told apart).");
    line("");
  }

  private void matrix(String chartFile) {
    line("## Room size");
    line("");
    line("R rooms of N users, " + profile.matrixSessions() + " sessions (R rounded up), every user at 20 Hz subscribed to `*`.");
    line("");
    if (chartFile != null) {
      line("![Server CPU per delivery and p99 latency against room size](" + chartFile + ")");
      line("");
    }
    sideBySide();
    table("matrix");
  }

  /**
   * The chart's two numbers for every system as tables, one column per system: the medians of the table
   * below, with each value's delivered share beside it when under 99%, since a system that drops states
   * spends its CPU on fewer deliveries.
   */
  private void sideBySide() {
    List<SystemUnderTest> systems = new ArrayList<>();
    for (SystemUnderTest s : SystemUnderTest.values()) {
      if (points.stream().anyMatch(p -> p.experiment().equals("matrix") && p.system() == s)) {
        systems.add(s);
      }
    }
    if (systems.isEmpty()) {
      return;
    }
    boolean bindings = systems.contains(US) && systems.contains(US_WS);
    boolean peers = systems.contains(US_WS) && NODE_PEERS.stream().anyMatch(systems::contains);
    line("Server CPU µs per delivery, side by side:");
    line("");
    StringBuilder header = new StringBuilder("| N |");
    systems.forEach(s -> header.append(' ').append(s.label()).append(" |"));
    line(header + (bindings ? " presence-ws vs presence |" : "") + (peers ? " best Node peer vs presence-ws |" : ""));
    line("|---|" + "---|".repeat(systems.size() + (bindings ? 1 : 0) + (peers ? 1 : 0)));
    for (int n : profile.roomSizes()) {
      StringBuilder row = new StringBuilder("| " + n + " |");
      systems.forEach(s -> row.append(' ').append(cell(s, n, "server_cpu_us_per_delivery", "%.3f")).append(" |"));
      if (bindings) {
        row.append(' ').append(ratio("matrix", n, US_WS, US, "server_cpu_us_per_delivery")
            .map(r -> fmt("%.2fx", r)).orElse("–")).append(" |");
      }
      if (peers) {
        row.append(' ').append(bestNodePeerCpu(n).flatMap(b -> cpu(US_WS, n).map(o -> fmt("%.1fx", b / o)))
            .orElse("–")).append(" |");
      }
      line(row.toString());
    }
    line("");
    line("p99 latency (ms), side by side:");
    line("");
    line(header.toString());
    line("|---|" + "---|".repeat(systems.size()));
    for (int n : profile.roomSizes()) {
      StringBuilder row = new StringBuilder("| " + n + " |");
      systems.forEach(s -> row.append(' ').append(cell(s, n, "p99_ms", "%.1f")).append(" |"));
      line(row.toString());
    }
    line("");
  }

  /** @return a matrix point's median, its delivered share when under 99%, "failed" or "–" without a point */
  private String cell(SystemUnderTest s, int n, String key, String format) {
    Optional<Point> point = find("matrix", s, n);
    if (point.isEmpty()) {
      return "–";
    }
    Point p = point.get();
    if (p.failed()) {
      return "failed";
    }
    double fraction = p.median("fraction");
    return fmt(format, p.median(key)) + (fraction >= 0.99 ? "" : fmt(" (%.2f%% delivered)", 100 * fraction));
  }

  private void experimentTable(String experiment, String heading, String description) {
    if (points.stream().noneMatch(p -> p.experiment().equals(experiment))) {
      return;
    }
    line(heading);
    line("");
    line(description);
    line("");
    table(experiment);
  }

  private void table(String experiment) {
    line("| N | R | System | Offered/s | Delivered/s | Delivered | p50 ms | p99 ms | p99.9 ms | Server CPU | CPU µs/delivery | vs coalesced relay | Frames/s | MB/s out | Load gen CPU | CPU spread | JIT CPU |");
    line("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Point p : points) {
      if (!p.experiment().equals(experiment)) {
        continue;
      }
      if (p.failed()) {
        line("| " + p.users() + " | " + p.rooms() + " | " + p.system().label() + " | failed: " + p.failure().replace("|", "/") + " ||||||||||||||");
        continue;
      }
      Optional<Double> vs = ratio(experiment, p.users(), p.system(), COALESCED, "server_cpu_us_per_delivery")
          .filter(r -> p.rooms() == find(experiment, COALESCED, p.users()).map(Point::rooms).orElse(-1));
      line(String.format(Locale.ROOT, "| %d | %d | %s | %s | %s | %.2f%% | %.1f | %.1f | %.1f | %.0f%% | %.3f | %s | %s | %.1f | %.0f%%%s | %s | %s |",
          p.users(), p.rooms(), p.system().label(), count(p.median("offered_dps")), count(p.median("logical_dps")),
          100 * p.median("fraction"), p.median("p50_ms"), p.median("p99_ms"), p.median("p999_ms"),
          100 * p.median("server_cpu_util"), p.median("server_cpu_us_per_delivery"),
          vs.map(r -> fmt("%.2fx", r)).orElse("–"), count(p.median("frames_ps")), p.median("bytes_ps") / 1e6,
          100 * p.median("loadgen_cpu_util"), p.loadGeneratorBound() ? " (bound)" : "",
          Double.isNaN(p.spread("server_cpu_us_per_delivery")) ? "–" : fmt("%.0f%%", 100 * p.spread("server_cpu_us_per_delivery")),
          Double.isNaN(p.median("server_jit_cpu_share")) ? "–" : fmt("%.1f%%", 100 * p.median("server_jit_cpu_share"))));
    }
    line("");
  }

  private void capacity() {
    if (points.stream().noneMatch(p -> p.experiment().equals("capacity"))) {
      return;
    }
    line("## Capacity");
    line("");
    line("The load doubles from one room until a step fails (p99 over 100 ms or fewer than 99% of states delivered), then the gap between the highest load that passed and the lowest that failed is halved, geometrically, until the two are within "
        + fmt("%.0f%%", 100 * (SuiteRunner.CAPACITY_PRECISION - 1)) + " of each other; capacity is the delivered rate of the highest step that passed. "
        + "Load is counted in rooms of N users at 20 Hz. Rooms are whole, so a load L runs ⌈L⌉ rooms with every user at 20 × L / ⌈L⌉ Hz (whole hertz): every room stays alike and each state still goes to N − 1 others, only the rate thins. "
        + "A search also stops at the profile's session cap (" + profile.capacityMaxSessions() + " sessions; the capacity is then a lower bound), or when whole rooms and hertz cannot realize a step between the two (*resolution*). "
        + "A step passes on the server's numbers even if the load generator fell behind; but when the load generator may have limited the lowest failing step (*bound*: its CPU at 90% or more, or sends 10 ms or more late at p99), that failure may be its own, and the capacity is marked a lower bound. "
        + "Each step is one run and the search takes it at its word: on a shared machine a step can pass or fail by noise, so read the lowest failing step beside the capacity, and every step in the table below.");
    line("");
    line("*Core*: the share of one core the server was held to during its search and the overload experiment below (CFS bandwidth control, "
        + CpuQuota.PERIOD_MICROS / 1000 + " ms period). The load generator spends more per delivery than a lean server, so where it has one core, a server with a whole core outlasts it, "
        + "and its search ends at the load generator's limit with only a lower bound. Every system is held to the same share, so their capacities compare; they are capacities on that share, not on a core. "
        + "A server runs on a whole core where the machine offers no writable cgroup cpu controller. "
        + "Before its search at each N, every server runs unrecorded, unheld, at that N, as before the room-size matrix; and a step (here or in the overload experiment) whose server's compiler threads took more than "
        + fmt("%.0f%%", 100 * SuiteRunner.WARM_JIT_SHARE) + " of its CPU runs again, up to " + SuiteRunner.MAX_WARMUP_RUNS_PER_SIZE
        + " times, and the last run counts: on a fifth of a core a JIT compiling what a new load made hot takes a large part of the share, and the step would pass or fail on that transient.");
    line("");
    line("| N | System | Core | Capacity (deliveries/s) | At R × Hz | Lowest failing step | Search ended |");
    line("|---|---|---|---|---|---|---|");
    for (int n : profile.capacityRoomSizes()) {
      for (SystemUnderTest s : SystemUnderTest.values()) {
        List<Point> sweep = points.stream().filter(p -> p.experiment().equals("capacity") && p.system() == s && p.users() == n).toList();
        if (sweep.isEmpty()) {
          continue;
        }
        Optional<Point> best = sweep.stream().filter(Point::withinService).max((a, b) -> Double.compare(a.median("logical_dps"), b.median("logical_dps")));
        Optional<Point> lowestFailed = sweep.stream().filter(p -> !p.withinService())
            .min((a, b) -> Double.compare(load(a), load(b)));
        String failedCell = lowestFailed.map(p -> p.failed() ? fmt("R = %d: failed: %s", p.rooms(), String.valueOf(p.failure()).replace("|", "/"))
            : fmt("R = %d × %.0f Hz: p99 %.1f ms, %.2f%% delivered%s", p.rooms(), p.median("rate_hz"), p.median("p99_ms"),
                100 * p.median("fraction"), p.loadGeneratorBound() ? fmt(" (load generator %.0f%%)", 100 * p.median("loadgen_cpu_util")) : ""))
            .orElse("–");
        line("| " + n + " | " + s.label() + " | " + coreShare(sweep.get(0)) + " | " + best.map(p -> count(p.median("logical_dps"))).orElse("below the lowest step")
            + " | " + best.map(p -> fmt("%d × %.0f Hz", p.rooms(), p.median("rate_hz"))).orElse("–") + " | " + failedCell
            + " | " + searchEnd(s, n) + " |");
      }
    }
    line("");
    table("capacity");
  }

  /** @return whether the search pinned capacity between a passing and a failing step */
  private boolean bracketed(SystemUnderTest s, int n) {
    String end = searchEnd(s, n);
    return end.equals("bracketed") || end.equals("resolution") || end.equals("nothing passed");
  }

  /** @return a step's load in rooms at 20 Hz */
  private static double load(Point p) {
    return p.rooms() * p.median("rate_hz") / SuiteRunner.RATE_HZ;
  }

  /** @return how the capacity search of a system at N ended, or "not run" */
  private String searchEnd(SystemUnderTest s, int n) {
    return lastSearchResult(s, n).map(r -> r.text("search_end").replace('_', ' ')
        + (r.number("lower_bound") == 1 ? ", lower bound" : "")).orElse("not run");
  }

  /** @return the share of a core the capacity search of a system at N held its server to */
  private String coreShareOf(SystemUnderTest s, int n) {
    return points.stream().filter(p -> p.experiment().equals("capacity") && p.system() == s && p.users() == n)
        .findFirst().map(BenchmarksReport::coreShare).orElse("–");
  }

  /** Runs from before servers were held, which do not say, ran on a whole core. */
  private static String coreShare(Point p) {
    double share = p.median("held_cpu_share");
    return Double.isNaN(share) || share == 0 ? "1 core" : fmt("%.2f core", share);
  }

  private Optional<dev.presence.bench.loadgen.LoadResult> lastSearchResult(SystemUnderTest s, int n) {
    return points.stream().filter(p -> p.experiment().equals("capacity") && p.system() == s && p.users() == n)
        .flatMap(p -> p.runs().stream()).filter(r -> r.text("search_end") != null).reduce((a, b) -> b);
  }

  private void overload() {
    List<Point> overload = experiment("overload");
    if (overload.isEmpty()) {
      return;
    }
    line("## Overload");
    line("");
    line("With capacity C from the search above, each system is offered " + String.join(" and ", SuiteRunner.OVERLOAD_FACTORS.stream().map(f -> fmt("%.1fx", f)).toList())
        + " C (same realization: whole rooms, the rate thinned) for " + profile.overloadMillis() / 1000.0 + " s on the same server. "
        + "*On time*: delivered within PRS-THR-3's bound, W + 25 ms = 75 ms at the default W = 50 ms. Per room: the share of each room's deliveries that were on time, lowest, median and highest across rooms. "
        + "RSS is sampled every " + fmt("%.1f", 0.5) + " s over the window; no target is set beyond memory staying bounded and rooms being served alike. "
        + "The server's and the load generator's CPU show which side was saturated: a point marked *(bound)* had the load generator at 90% of its core or more, or sending 10 ms late at p99, "
        + "so its lateness and losses are in part the load generator's own, which receives every delivery the server makes.");
    line("");
    line("| N | System | Core | Offered | R × Hz | Offered/s | Delivered | On time | p99 ms | Server / load generator CPU | RSS first → last sample (MiB) | On time per room (min / median / max) |");
    line("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Point p : overload) {
      if (p.failed()) {
        line("| " + p.users() + " | " + p.system().label() + " | " + coreShare(p) + " | failed: " + String.valueOf(p.failure()).replace("|", "/") + " ||||||||");
        continue;
      }
      double[] rss = rssEdges(p);
      line(fmt("| %d | %s | %s | %.1fx C | %d × %.0f Hz | %s | %.2f%% | %.2f%% | %.1f | %.0f%% / %.0f%%%s | %.0f → %.0f | %.1f%% / %.1f%% / %.1f%% |",
          p.users(), p.system().label(), coreShare(p), p.median("overload_factor"), p.rooms(), p.median("rate_hz"), count(p.median("offered_dps")),
          100 * p.median("fraction"), 100 * p.median("within_bound"), p.median("p99_ms"),
          100 * p.median("server_cpu_util"), 100 * p.median("loadgen_cpu_util"), p.loadGeneratorBound() ? " (bound)" : "",
          rss[0] / 1024, rss[1] / 1024,
          100 * p.median("room_within_bound_min"), 100 * p.median("room_within_bound_median"), 100 * p.median("room_within_bound_max")));
    }
    line("");
  }

  private void overloadComparisons() {
    for (Point p : experiment("overload")) {
      if (p.failed() || (p.system() != US && p.system() != COALESCED)) {
        continue;
      }
      double[] rss = rssEdges(p);
      comparison(fmt("Overload at %.1fx capacity, N = %d (%s): memory bounded, rooms served alike", p.median("overload_factor"), p.users(), p.system().label()),
          fmt("RSS %.0f → %.0f MiB; %.1f%% on time, per room %.1f%%–%.1f%%%s", rss[0] / 1024, rss[1] / 1024, 100 * p.median("within_bound"),
              100 * p.median("room_within_bound_min"), 100 * p.median("room_within_bound_max"),
              p.loadGeneratorBound() ? fmt("; load generator bound (%.0f%% CPU)", 100 * p.median("loadgen_cpu_util")) : ""));
    }
  }

  /** @return the first and last RSS samples of a point's run, KiB */
  private static double[] rssEdges(Point p) {
    String series = p.runs().get(0).text("rss_series_kib");
    if (series == null) {
      return new double[] {Double.NaN, Double.NaN};
    }
    String[] s = series.split(";");
    return new double[] {Double.parseDouble(s[0]), Double.parseDouble(s[s.length - 1])};
  }

  private void coldStartTarget() {
    Optional<Point> first = find("coldstart-first", US, SuiteRunner.BURST_USERS).filter(p -> !p.failed());
    Optional<Point> second = find("coldstart-second", US, SuiteRunner.BURST_USERS).filter(p -> !p.failed());
    target("First burst after SERVING: p99 within PRS-THR-3's bound (75 ms)",
        first.map(p -> fmt("first %d ms: p99 %.1f ms (max %.1f); whole burst: p99 %.1f ms", SuiteRunner.BURST_HEAD_MILLIS,
            p.median("head_p99_ms"), p.median("head_max_ms"), p.median("p99_ms"))
            + second.map(q -> fmt("; second burst: p99 %.1f ms", q.median("p99_ms"))).orElse("")).orElse("not measured"),
        first.map(p -> p.median("head_p99_ms") <= 75 && p.median("p99_ms") <= 75));
  }

  private void coldStart() {
    List<Point> bursts = points.stream().filter(p -> p.experiment().startsWith("coldstart-")).toList();
    if (bursts.isEmpty()) {
      return;
    }
    line("## Cold start");
    line("");
    line("A fresh reference server (the suite's command, pinned as always) is loaded the moment its `grpc.health.v1` check of the overall service (\"\") says SERVING: one room of "
        + SuiteRunner.BURST_USERS + " users each at " + SuiteRunner.BURST_RATE_HZ + " Hz, so 1 kHz of states into the room, for " + profile.burstMillis() / 1000.0
        + " s, sending as soon as the " + SuiteRunner.BURST_USERS + " sessions opened. The second burst follows on the same server once the first's deliveries stopped counting (1 s). "
        + "Latency is reported for the states sent in the burst's first " + SuiteRunner.BURST_HEAD_MILLIS + " ms and over the whole burst.");
    line("");
    line("| Burst | Process start → SERVING (ms) | Sessions opened in (ms) | First " + SuiteRunner.BURST_HEAD_MILLIS + " ms: p50 / p99 / max ms | Whole: p50 / p99 / max ms | Delivered | On time (75 ms) |");
    line("|---|---|---|---|---|---|---|");
    for (Point p : bursts) {
      String which = p.experiment().equals("coldstart-first") ? "first" : "second";
      if (p.failed()) {
        line("| " + which + " | failed: " + String.valueOf(p.failure()).replace("|", "/") + " ||||||");
        continue;
      }
      line(fmt("| %s | %.0f | %.0f | %.1f / %.1f / %.1f | %.1f / %.1f / %.1f | %.2f%% | %.2f%% |", which, p.median("serving_ms"), p.median("open_ms"),
          p.median("head_p50_ms"), p.median("head_p99_ms"), p.median("head_max_ms"),
          p.median("p50_ms"), p.median("p99_ms"), p.median("max_ms"), 100 * p.median("fraction"), 100 * p.median("within_bound")));
    }
    line("");
  }

  private void quietRoomTargets() {
    for (Point p : experiment("storm")) {
      if (p.system() != US) {
        continue;
      }
      String variant = stormVariant(p);
      target(fmt("During a storm of %s connections opening and closing (%s), another room's p99 at most 150 ms", count(p.median("storm_sessions")), variant),
          p.failed() ? "failed" : fmt("p99 %.1f ms during (max %.1f); before %.1f ms, after %s", p.median("during_p99_ms"), p.median("during_max_ms"),
              p.median("before_p99_ms"), Double.isNaN(p.median("after_p99_ms")) ? "not seen (the storm outlasted the window)" : fmt("%.1f ms", p.median("after_p99_ms"))),
          p.failed() || Double.isNaN(p.median("during_p99_ms")) ? Optional.empty() : Optional.of(p.median("during_p99_ms") <= 150));
    }
    for (Point p : experiment("hot")) {
      if (p.system() != US) {
        continue;
      }
      target(fmt("A hot room (%d senders at %d Hz each) leaves a quiet room's p99 at most 150 ms", SuiteRunner.HOT_SENDERS, SuiteRunner.HOT_RATE_HZ),
          p.failed() ? "failed" : fmt("p99 %.1f ms (max %.1f), %.2f%% delivered", p.median("p99_ms"), p.median("max_ms"), 100 * p.median("fraction")),
          p.failed() ? Optional.empty() : Optional.of(p.median("p99_ms") <= 150));
    }
  }

  private static String stormVariant(Point p) {
    return p.median("storm_room_size") <= 1 ? "each in a room of its own"
        : p.median("storm_room_size") >= p.median("storm_sessions") ? "all in one room"
        : fmt("in rooms of %s", count(p.median("storm_room_size")));
  }

  private void quietRoom() {
    List<Point> storms = experiment("storm");
    List<Point> hot = experiment("hot");
    if (storms.isEmpty() && hot.isEmpty()) {
      return;
    }
    line("## A quiet room beside a storm or a hot room");
    line("");
    line("One quiet room of " + SuiteRunner.QUIET_ROOM_SIZE + " users at " + SuiteRunner.QUIET_RATE_HZ + " Hz, subscribed to all, on the same server as a disturbance; only the quiet room is measured. "
        + "*Storm*: " + profile.stormSessions() + " sessions ask to open at the same moment, " + fmt("%.1f", Math.min(2_000, profile.stormWindowMillis() / 4) / 1000.0)
        + " s into a " + profile.stormWindowMillis() / 1000 + " s window, each closing as soon as it opened (rooms of one, then all in one room; nothing is sent in them). "
        + "Latency is split by when the quiet room's state was sent: before the storm, during it (from its first open to its last close, in 100 ms slices) and after. "
        + "The storm's connections are opened by the load generator, on its own core next to the quiet room's sessions, so its send lag is shown: when the load generator fell behind, part of the latency is its own, and the ceiling relay, which does nothing per session, is the reference for that share. "
        + "With all of the storm in one room the reference is weaker: presence.v1 tells every session of a room who joins and leaves, so the storm's own sessions receive up to a membership event per pair of them, which the load generator decodes on the quiet room's core, while the relay sends them nothing. "
        + "*Hot room*: " + SuiteRunner.HOT_SENDERS + " users in one more room, each sending at " + SuiteRunner.HOT_RATE_HZ + " Hz throughout.");
    line("");
    if (!storms.isEmpty()) {
      line("| System | Storm | Storm lasted (s) | Opened / failed | Before: p99 / max ms | During: p99 / max ms | After: p99 / max ms | Delivered | Load gen send lag p99 ms |");
      line("|---|---|---|---|---|---|---|---|---|");
      for (Point p : storms) {
        if (p.failed()) {
          line("| " + p.system().label() + " | failed: " + String.valueOf(p.failure()).replace("|", "/") + " |||||||");
          continue;
        }
        line(fmt("| %s | %s | %.1f | %.0f / %.0f | %s | %s | %s | %.2f%% | %.1f |", p.system().label(), stormVariant(p), p.median("storm_ms") / 1000,
            p.median("storm_opened"), p.median("storm_failed"), pair(p, "before"), pair(p, "during"), pair(p, "after"),
            100 * p.median("fraction"), p.median("send_lag_p99_ms")));
      }
      line("");
    }
    if (!hot.isEmpty()) {
      line("| System | Quiet room: p50 / p99 / max ms | Delivered | On time (75 ms) | Hot sends/s | Server CPU | Load gen send lag p99 ms |");
      line("|---|---|---|---|---|---|---|");
      for (Point p : hot) {
        if (p.failed()) {
          line("| " + p.system().label() + " | failed: " + String.valueOf(p.failure()).replace("|", "/") + " ||||||");
          continue;
        }
        line(fmt("| %s | %.1f / %.1f / %.1f | %.2f%% | %.2f%% | %s | %.0f%% | %.1f |", p.system().label(), p.median("p50_ms"), p.median("p99_ms"),
            p.median("max_ms"), 100 * p.median("fraction"), 100 * p.median("within_bound"),
            count(p.median("hot_sends") / (p.median("measure_s") + profile.warmupMillis() / 1000.0)), 100 * p.median("server_cpu_util"), p.median("send_lag_p99_ms")));
      }
      line("");
    }
  }

  private static String pair(Point p, String part) {
    return Double.isNaN(p.median(part + "_p99_ms")) ? "–" : fmt("%.1f / %.1f", p.median(part + "_p99_ms"), p.median(part + "_max_ms"));
  }

  private void deoptimizationComparison() {
    List<Point> deopt = experiment("deopt").stream().filter(p -> !p.failed()).toList();
    if (deopt.isEmpty()) {
      return;
    }
    comparison("Deoptimizations in the server JVM in measured windows after warm-up (JFR)",
        String.join(", ", deopt.stream().map(p -> fmt("N = %d: %.0f", p.users(), p.median("deopts"))).toList()));
  }

  private void deoptimizations() {
    List<Point> deopt = experiment("deopt");
    if (deopt.isEmpty()) {
      return;
    }
    line("## Deoptimizations after warm-up");
    line("");
    line("A fresh reference server started with `-XX:StartFlightRecording:settings=default` (otherwise the suite's command)"
        + (profile.serverWarmup() ? ", warmed up at N = " + SuiteRunner.WARMUP_ROOM_SIZE + " as the matrix's servers are before their first point (not again at each room size, so a size's first run counts what it makes the JIT redo)," : "") + " then run at each room size of the matrix in turn; `jcmd <pid> JFR.dump` then writes its recording. "
        + "The `jdk.Deoptimization` events of the recording (on in JFR's default settings: a compiled method sent back to the interpreter because an assumption it was compiled under broke) are counted inside each run's measured window, matched by wall-clock time.");
    line("");
    line("| N | R | Deoptimizations in the window | Window (s) | p99 ms | Delivered | Load gen send lag p99 ms |");
    line("|---|---|---|---|---|---|---|");
    for (Point p : deopt) {
      line(p.failed() ? "| " + p.users() + " | " + p.rooms() + " | failed: " + String.valueOf(p.failure()).replace("|", "/") + " |||||"
          : fmt("| %d | %d | %.0f | %.1f | %.1f | %.2f%% | %.1f |", p.users(), p.rooms(), p.median("deopts"), p.median("measure_s"),
              p.median("p99_ms"), 100 * p.median("fraction"), p.median("send_lag_p99_ms")));
    }
    deopt.stream().filter(p -> !p.failed()).findFirst().ifPresent(p -> {
      line("");
      line(fmt("The recording holds %.0f deoptimizations over the server's whole life, start-up and warm-up included.", p.median("deopts_total")));
    });
    line("");
  }

  private List<Point> experiment(String name) {
    return points.stream().filter(p -> p.experiment().equals(name)).toList();
  }

  /** @return the earlier merges still reported, then this run as the newest unless the report is only rewritten */
  private List<Merge> merges(String date, String suiteCommand, Map<String, String> environment) {
    if (rewriting) {
      return earlierMerges;
    }
    List<Merge> all = new ArrayList<>(earlierMerges);
    all.add(new Merge(suiteCommand, points.stream().filter(p -> !p.fromEarlierRun()).map(Point::name).distinct()
        .toList(), date, environment));
    return all;
  }

  private void environmentTable(Map<String, String> rows) {
    line("| | |");
    line("|---|---|");
    rows.forEach((k, v) -> line("| " + k + " | " + v + " |"));
    line("");
  }

  private void cluster(Launches launches) {
    List<Point> cluster = points.stream().filter(p -> p.experiment().equals("cluster")).toList();
    if (cluster.isEmpty()) {
      return;
    }
    line("## Cluster");
    line("");
    line("Three reference-server nodes in cluster mode (`--cluster`, reference-server/CLUSTER.md) on one `redis-server`, against one node started with the same command without `--cluster`, in the same run and taking turns run by run as in the room-size matrix. "
        + "R rooms of N users, " + profile.matrixSessions() + " sessions (R rounded up), every user at 20 Hz subscribed to `*`. The load generator opens user u's session on node u mod 3, so every room spans the three nodes and about two deliveries in three cross nodes (sender and receiver on different nodes: the state goes through Redis). "
        + "The three nodes, Redis and the single node are all pinned to the server core and the load generator to the other, as in the rest of the suite: the cluster does the same work as the one node on the same core, plus what clustering adds, so its CPU per delivery counts the three nodes and Redis together (`/proc/PID/stat` of each) and the ratio to the single node is the cost of clustering. "
        + "Latencies on one shared core are an upper bound for nodes on machines of their own. The machine has 2 cores and is shared with other developers' builds, so read the ratios, not the absolute numbers.");
    line("");
    line("```");
    line(shellWords(launches.redis("<redis port>")));
    line(String.join(" ", launches.clusterNode("<free port>", "<free port>", "<redis port>")) + "   # three of these");
    line("  # load generator, one line per run:");
    line("  --system presence-cluster --port <node 1>,<node 2>,<node 3> --server-pid <pid 1>,<pid 2>,<pid 3> --redis-pid <redis pid> --rooms R --users N ...");
    line("```");
    line("");
    line("Each row is the median of " + profile.runsPerPoint() + " runs per system. *State change*: one user's update, which in the cluster is one `EVALSHA` of `state.lua` (INCR, HSET, SPUBLISH to the room's shard channel) and one message to each other node with sessions in the room.");
    line("");
    line("| N | R | 1 node: CPU µs/delivery | cluster: CPU µs/delivery (nodes + Redis) | cluster vs 1 node | of which nodes | of which Redis | Redis µs per state change | Redis CPU | 1 node: p99 ms | cluster: p99 ms | cluster p99, same node | cluster p99, across nodes | Delivered (1 node / cluster) | CPU spread (1 node / cluster) |");
    line("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (int n : profile.clusterRoomSizes()) {
      Optional<Point> one = find("cluster", US, n);
      Optional<Point> many = find("cluster", SystemUnderTest.PRESENCE_CLUSTER, n);
      if (one.isEmpty() && many.isEmpty()) {
        continue;
      }
      int rooms = many.or(() -> one).get().rooms();
      if (many.isPresent() && many.get().failed()) {
        line("| " + n + " | " + rooms + " | " + one.map(p -> cpuCell(p, "server_cpu_us_per_delivery")).orElse("–")
            + " | failed: " + String.valueOf(many.get().failure()).replace("|", "/") + " |||||||||||||");
        continue;
      }
      Optional<Double> ratio = ratio("cluster", n, SystemUnderTest.PRESENCE_CLUSTER, US, "server_cpu_us_per_delivery");
      line("| " + n + " | " + rooms
          + " | " + one.map(p -> cpuCell(p, "server_cpu_us_per_delivery")).orElse("–")
          + " | " + many.map(p -> cpuCell(p, "server_cpu_us_per_delivery")).orElse("–")
          + " | " + ratio.map(r -> fmt("%.2fx", r)).orElse("–")
          + " | " + many.map(p -> cpuCell(p, "node_cpu_us_per_delivery")).orElse("–")
          + " | " + many.map(p -> cpuCell(p, "redis_cpu_us_per_delivery")).orElse("–")
          + " | " + many.map(p -> cpuCell(p, "redis_cpu_us_per_change")).orElse("–")
          + " | " + many.map(p -> fmt("%.0f%%", 100 * p.median("redis_cpu_util"))).orElse("–")
          + " | " + one.map(p -> msCell(p, "p99_ms")).orElse("–")
          + " | " + many.map(p -> msCell(p, "p99_ms")).orElse("–")
          + " | " + many.map(p -> msCell(p, "same_node_p99_ms")).orElse("–")
          + " | " + many.map(p -> msCell(p, "cross_node_p99_ms")).orElse("–")
          + " | " + one.map(p -> fmt("%.2f%%", 100 * p.median("fraction"))).orElse("–") + " / "
          + many.map(p -> fmt("%.2f%%", 100 * p.median("fraction"))).orElse("–")
          + " | " + one.map(BenchmarksReport::spreadCell).orElse("–") + " / " + many.map(BenchmarksReport::spreadCell).orElse("–")
          + " |");
    }
    line("");
  }

  private static String cpuCell(Point p, String key) {
    return p.failed() ? "failed" : fmt("%.3f", p.median(key));
  }

  private static String msCell(Point p, String key) {
    return p.failed() ? "failed" : fmt("%.1f", p.median(key));
  }

  private static String spreadCell(Point p) {
    double spread = p.spread("server_cpu_us_per_delivery");
    return Double.isNaN(spread) ? "–" : fmt("%.0f%%", 100 * spread);
  }

  /** @return the command as one shell line, empty arguments quoted so it can be pasted */
  private static String shellWords(List<String> command) {
    return String.join(" ", command.stream().map(a -> a.isEmpty() ? "''" : a).toList());
  }

  private void memory() {
    line("## Memory");
    line("");
    line("Idle: sessions open in rooms of " + SuiteRunner.IDLE_ROOM_SIZE + ", nobody sending, on a fresh server; the growth of the server's RSS over its RSS before the first session, divided by sessions.");
    line("");
    line("| System | Sessions | RSS before (MiB) | RSS idle (MiB) | KiB per idle session |");
    line("|---|---|---|---|---|");
    for (Point p : points) {
      if (p.experiment().equals("idle")) {
        line(p.failed() ? "| " + p.system().label() + " | failed: " + p.failure() + " ||||"
            : String.format(Locale.ROOT, "| %s | %.0f | %.1f | %.1f | %.1f |", p.system().label(), p.median("sessions"),
                p.median("rss_baseline_kib") / 1024, p.median("rss_idle_kib") / 1024, p.median("idle_kib_per_session")));
      }
    }
    line("");
    if (points.stream().anyMatch(p -> p.experiment().equals("stall"))) {
      line("Stalled reader: one session of a 100-user room at 20 Hz stops reading for " + profile.stallMillis() / 1000
          + " s while the others go on; server RSS sampled every " + profile.stallMillis() / 12000 + " s (MiB).");
      line("");
      line("| System | RSS samples (MiB) | Growth | Delivered to the others | p99 ms |");
      line("|---|---|---|---|---|");
      for (Point p : points) {
        if (p.experiment().equals("stall") && !p.failed()) {
          String series = p.runs().get(0).text("rss_series_kib");
          StringBuilder mib = new StringBuilder();
          for (String s : series == null ? new String[0] : series.split(";")) {
            mib.append(mib.length() == 0 ? "" : " ").append(fmt("%.0f", Double.parseDouble(s) / 1024));
          }
          double[] g = growth(p);
          line(fmt("| %s | %s | %+.1f MiB | %.2f%% | %.1f |", p.system().label(), mib, g[0] / 1024,
              100 * p.median("fraction"), p.median("p99_ms")));
        }
      }
      line("");
    }
  }

  private void faults() {
    line("## Faults");
    line("");
    List<Point> faulted = points.stream().filter(p -> !p.faultReasons().isEmpty() || p.max("out_of_order") > 0).toList();
    if (faulted.isEmpty()) {
      line("No run counted a driver fault (a message that did not decode, a dropped send, a session the server ended or a failed connection) or a state older than one already received from its sender.");
      line("");
      return;
    }
    line("Runs whose numbers leave something out: driver faults (reason: count, per run) and states that arrived older than one already received from their sender.");
    line("");
    line("| Experiment | N | R | System | Driver faults | Out of order (most in one run) |");
    line("|---|---|---|---|---|---|");
    for (Point p : faulted) {
      line(fmt("| %s | %d | %d | %s | %s | %.0f |", p.experiment(), p.users(), p.rooms(), p.system().label(),
          p.faultReasons().isEmpty() ? "none" : String.join(", ", p.faultReasons()), p.max("out_of_order")));
    }
    line("");
  }

  private void definitions() {
    line("## What is measured");
    line("");
    line("- **Delivery**: one user's state reaching one *other* user of the room; every system here also echoes a state to its sender, and those echoes are not counted. "
        + "A state counts as delivered if it, or a newer state of the same sender, reaches the receiver within 1 s: presence is latest-wins, so a state a server coalesced away still arrived when its successor did. "
        + "*Delivered* is delivered / (sends in the window × receivers).");
    line("- **Latency**: receive time minus the send time carried inside the state, both on the load generator's monotonic clock; every received state from another user sent in the window is one sample (HdrHistogram, 3 significant digits).");
    line("- **Server CPU**: user + system time of the server process from `/proc/PID/stat` over the window, divided by wall time (Server CPU) or by deliveries (CPU µs/delivery). It includes the JVM's GC and JIT threads and Node's libuv threads.");
    line("- **Frames/s, MB/s out**: application frames (gRPC messages, WebSocket messages) and their bytes received by the load generator, echoes included.");
    line("- **Load gen CPU**: the load generator's own CPU over the window; *(bound)* marks points where it was at 90% or more, or sends went out 10 ms or more late at p99, so the server may have had headroom left.");
    line("- **presence-ws**: the reference server's WebSocket binding, served by the same process as presence on a port of its own; its driver runs the same session logic as the gRPC binding's (open, subscribe to all, answer pings), one frame per binary message, over the same JDK WebSocket client as the y-websocket and Socket.IO drivers, so the three WebSocket systems compare like for like on the client side.");
    if (points.stream().anyMatch(p -> p.experiment().equals("cluster"))) {
      line("- **presence-cluster**: three reference-server nodes on one Redis, sessions spread over the nodes by user number; its server CPU is the three nodes' and Redis's together, and its latency is also split by whether the sender's session was on the receiver's node (*same node*) or on another (*across nodes*, through Redis).");
    }
    line("- **Ceiling relays**: a gRPC server with no presence logic that forwards the client's pre-serialized events, either at once to every member (per message) or as the latest event per sender in one frame per 50 ms tick, serialized once for the room (coalesced). It has no flow control.");
    line("");
  }

  private Optional<Point> find(String experiment, SystemUnderTest s, int n) {
    return points.stream().filter(p -> p.experiment().equals(experiment) && p.system() == s && p.users() == n).findFirst();
  }

  private Optional<Double> ratio(String experiment, int n, SystemUnderTest a, SystemUnderTest b, String key) {
    Optional<Point> pa = find(experiment, a, n).filter(p -> !p.failed());
    Optional<Point> pb = find(experiment, b, n).filter(p -> !p.failed());
    return pa.flatMap(x -> pb.map(y -> x.median(key) / y.median(key))).filter(r -> !Double.isNaN(r));
  }

  private Optional<Double> capacityOf(SystemUnderTest s, int n) {
    return points.stream().filter(p -> p.experiment().equals("capacity") && p.system() == s && p.users() == n)
        .filter(Point::withinService).map(p -> p.median("logical_dps")).max(Double::compare);
  }

  /** @return the chart: CPU per delivery and p99 against N, one line per system */
  String chart() {
    LineChart cpu = new LineChart("Server CPU per delivery", "users per room (N)", "µs per delivery");
    LineChart p99 = new LineChart("p99 latency", "users per room (N)", "ms");
    for (SystemUnderTest s : SystemUnderTest.values()) {
      for (Point p : points) {
        if (p.experiment().equals("matrix") && p.system() == s && !p.failed()) {
          cpu.point(s.label(), p.users(), p.median("server_cpu_us_per_delivery"));
          p99.point(s.label(), p.users(), p.median("p99_ms"));
        }
      }
    }
    return LineChart.document(List.of(cpu, p99));
  }

  /** JMH prints far more digits than its error supports. */
  private static String significant(String number) {
    try {
      return new java.math.BigDecimal(number).round(new java.math.MathContext(3)).toPlainString();
    } catch (NumberFormatException e) {
      return number;
    }
  }

  private static String count(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (v >= 1e6) {
      return fmt("%.2fM", v / 1e6);
    }
    if (v >= 1e3) {
      return fmt("%.1fk", v / 1e3);
    }
    return fmt("%.0f", v);
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private void line(String s) {
    md.append(s).append('\n');
  }
}
